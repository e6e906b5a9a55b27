package io.restock.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.support.Api;
import io.restock.support.Poll;
import io.restock.support.RunningApp;
import io.restock.support.WebhookReceiver;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A provider that stalls longer than the client's timeout while every in-flight slot is taken,
 * with one consumer thread and with several: the round ends, the threads live on, and nothing is
 * lost from the round's record.
 */
class ProviderStallTest {
  private static final int SUBSCRIBERS = 3_000;
  @ParameterizedTest(name = "WORKER_THREADS={0}")
  @ValueSource(ints = {1, 4})
  void a_provider_stalling_past_the_timeout_ends_the_round_and_the_threads_carry_on(int workers)
      throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver();
        RunningApp app = RunningApp.start(Map.of("NOTIFIER_WEBHOOK_URL", receiver.url(),
            "NOTIFY_RATE_PER_SEC", "1000", "NOTIFIER_CONCURRENCY", "4",
            "WORKER_THREADS", Integer.toString(workers)))) {
      stallAndRecover(app.api(), receiver);
    }
  }

  private static void stallAndRecover(Api api, WebhookReceiver receiver) {
    long stalled = api.createProduct("Stalled", 0);
    api.subscribeRange(stalled, 1, SUBSCRIBERS);
    assertEquals(202, api.post("/products/" + stalled + "/notifications/re-stock",
        "{\"quantity\":5}").status());
    Poll.until(Duration.ofSeconds(30), "the first deliveries",
        () -> receiver.accepted(stalled).size() >= 300);
    receiver.stall(12_000, 503); // past the 5 s timeout, on every attempt

    JsonNode round = api.awaitRoundEnd(stalled, Duration.ofSeconds(90));
    assertEquals("CANCELED_BY_ERROR", round.get("status").asText(), round.toString());
    RoundHistory.assertRecordAgrees(stalled, round);

    receiver.delay(0);
    receiver.acceptAll();
    long other = api.createProduct("Other", 0);
    api.subscribeRange(other, 1, 50);
    assertEquals(202, api.post("/products/" + other + "/notifications/re-stock",
        "{\"quantity\":5}").status());
    JsonNode otherRound = api.awaitRoundEnd(other, Duration.ofSeconds(30));
    assertEquals("COMPLETED", otherRound.get("status").asText(), otherRound.toString());
    assertEquals(50, otherRound.get("notifiedCount").asInt());

    assertEquals(202, api.post("/admin/products/" + stalled + "/notifications/re-stock", null)
        .status());
    JsonNode resumed = api.awaitRoundEnd(stalled, Duration.ofSeconds(60));
    assertEquals("COMPLETED", resumed.get("status").asText(), resumed.toString());
    assertEquals(SUBSCRIBERS, resumed.get("notifiedCount").asInt());
    assertEquals((long) SUBSCRIBERS, resumed.get("lastNotifiedUserId").asLong());
    RoundHistory.assertRecordAgrees(stalled, resumed);
    Map<Long, Long> deliveries = receiver.accepted(stalled).stream()
        .collect(Collectors.groupingBy(WebhookReceiver.Delivery::userId, Collectors.counting()));
    assertEquals(Map.of(), deliveries.entrySet().stream().filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "told twice");
    assertEquals(SUBSCRIBERS, RoundHistory.of(stalled, 1).distinctUsers());
  }
}
