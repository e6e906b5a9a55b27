package io.restock.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.support.Api;
import io.restock.support.ChildService;
import io.restock.support.Poll;
import io.restock.support.RunningApp;
import io.restock.support.TestServices;
import io.restock.support.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Crashes, stops and lost Redis data in the middle of a round: nobody twice, and nobody skipped
 * but for a message caught leaving at the instant of a kill -9, which is marked unconfirmed.
 */
class CrashRecoveryTest {
  private static final int SUBSCRIBERS = 3_000;

  private static Map<String, String> config(WebhookReceiver receiver) {
    return Map.of("NOTIFIER_WEBHOOK_URL", receiver.url(), "NOTIFY_RATE_PER_SEC", "500",
        "WORKER_THREADS", "1", "NOTIFIER_CONCURRENCY", "16");
  }

  @Test
  void a_round_whose_instance_is_killed_is_taken_over_and_completed() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      TestServices.get().clean();
      long productId;
      long killedAt;
      try (ChildService doomed = ChildService.start("killed", config(receiver))) {
        productId = startRound(doomed.api());
        awaitDeliveries(receiver, productId, 300);
        try (RunningApp survivor = RunningApp.startAnother(config(receiver))) {
          doomed.kill();
          killedAt = System.nanoTime();
          assertTrue(receiver.accepted(productId).size() < SUBSCRIBERS - 500,
              "the round was nearly over before the kill; the test proves nothing");
          JsonNode round = survivor.api().awaitRoundEnd(productId, Duration.ofSeconds(60));
          assertEquals("COMPLETED", round.get("status").asText());
          Set<Long> unconfirmed = RoundHistory.unconfirmed(productId, 1);
          assertEquals(unconfirmed.size(), round.get("unconfirmedCount").asInt());
          assertTrue(unconfirmed.size() <= 16, "more unconfirmed than could be in flight: " + unconfirmed);
          assertNobodyToldTwice(receiver, productId);
          Set<Long> missed = notReached(receiver, productId);
          assertTrue(unconfirmed.containsAll(missed),
              "users " + missed + " were skipped without being marked unconfirmed " + unconfirmed);
          System.out.printf("kill -9 mid-round: %d unconfirmed (%d of them never arrived), no repeats"
              + "; %.1f s from SIGKILL to the next message%n", unconfirmed.size(), missed.size(),
              firstArrivalAfterGap(receiver.accepted(productId), killedAt) / 1e9);
        }
      }
    }
  }

  @Test
  void sigterm_hands_the_round_to_another_instance_within_seconds() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      TestServices.get().clean();
      long productId;
      try (ChildService stopping = ChildService.start("terminated", config(receiver))) {
        productId = startRound(stopping.api());
        awaitDeliveries(receiver, productId, 300);
        try (RunningApp other = RunningApp.startAnother(config(receiver))) {
          Duration exit = stopping.terminate(Duration.ofSeconds(15));
          assertTrue(receiver.accepted(productId).size() < SUBSCRIBERS - 500,
              "the round was nearly over before the stop; the test proves nothing");
          System.out.printf("SIGTERM mid-round: process exited after %d ms%n", exit.toMillis());
          assertEquals("COMPLETED",
              other.api().awaitRoundEnd(productId, Duration.ofSeconds(30)).get("status").asText());
        }
      }
      assertEveryoneToldOnce(receiver, productId);
    }
  }

  @Test
  void redis_losing_its_data_mid_round_neither_skips_nor_repeats_anyone() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver();
        RunningApp app = RunningApp.start(config(receiver));
        RedisClient redis = TestServices.get().redis()) {
      long productId = startRound(app.api());
      awaitDeliveries(receiver, productId, 300);
      redis.flushDB();

      assertEquals("COMPLETED",
          app.api().awaitRoundEnd(productId, Duration.ofSeconds(30)).get("status").asText());
      assertEveryoneToldOnce(receiver, productId);

      // Between rounds too: the next trigger finds no stream, no group, no stock copy.
      redis.flushDB();
      receiver.clear();
      assertEquals(202, app.api().post("/products/" + productId + "/notifications/re-stock", null).status());
      assertEquals("COMPLETED",
          app.api().awaitRoundEnd(productId, Duration.ofSeconds(30)).get("status").asText());
      assertEquals(new RoundHistory(SUBSCRIBERS, SUBSCRIBERS), RoundHistory.of(productId, 2));
    }
  }

  @Test
  void a_live_round_left_with_no_job_and_no_owner_is_found_and_resumed() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      long productId;
      try (RunningApp first = RunningApp.start(config(receiver))) {
        productId = startRound(first.api());
        awaitDeliveries(receiver, productId, 300);
      } // a graceful stop hands the job back to the stream...
      try (RedisClient redis = TestServices.get().redis()) {
        redis.flushDB(); // ...and then Redis loses it: only MySQL knows the round is live
      }
      try (RunningApp second = RunningApp.startAnother(config(receiver))) {
        assertEquals("COMPLETED",
            second.api().awaitRoundEnd(productId, Duration.ofSeconds(30)).get("status").asText());
      }
      assertEveryoneToldOnce(receiver, productId);
    }
  }

  static long startRound(Api api) {
    long productId = api.createProduct("Crash-proof", 0);
    api.subscribeRange(productId, 1, SUBSCRIBERS);
    assertEquals(202, api.post("/products/" + productId + "/notifications/re-stock",
        "{\"quantity\":5}").status());
    return productId;
  }

  static void awaitDeliveries(WebhookReceiver receiver, long productId, int count) {
    Poll.until(Duration.ofSeconds(20), count + " deliveries",
        () -> receiver.accepted(productId).size() >= count);
  }

  /** One history row per subscriber, every one confirmed; the receiver got each exactly once. */
  static void assertEveryoneToldOnce(WebhookReceiver receiver, long productId) {
    assertNobodyToldTwice(receiver, productId);
    assertEquals(Set.of(), notReached(receiver, productId), "someone was skipped");
    assertEquals(Set.of(), RoundHistory.unconfirmed(productId, 1));
  }

  /**
   * One history row per subscriber, and no subscriber got two messages: the receiver saw each
   * user at most once, under the one Idempotency-Key of that message.
   */
  static void assertNobodyToldTwice(WebhookReceiver receiver, long productId) {
    assertEquals(new RoundHistory(SUBSCRIBERS, SUBSCRIBERS), RoundHistory.of(productId, 1));
    List<WebhookReceiver.Delivery> got = receiver.accepted(productId);
    Map<Long, Long> perUser = got.stream().collect(
        Collectors.groupingBy(WebhookReceiver.Delivery::userId, Collectors.counting()));
    assertEquals(List.of(), perUser.entrySet().stream().filter(e -> e.getValue() > 1)
        .map(Map.Entry::getKey).sorted().toList(), "users told twice");
    got.forEach(d -> assertEquals("restock-" + productId + "-1-" + d.userId(), d.key()));
  }

  /** Subscribers 1..SUBSCRIBERS the receiver never got a message for. */
  static Set<Long> notReached(WebhookReceiver receiver, long productId) {
    Set<Long> reached = receiver.accepted(productId).stream()
        .map(WebhookReceiver.Delivery::userId).collect(Collectors.toSet());
    return LongStream.rangeClosed(1, SUBSCRIBERS).filter(u -> !reached.contains(u)).boxed()
        .collect(Collectors.toSet());
  }

  /** Nanoseconds from {@code since} to the first arrival after the longest quiet spell. */
  static long firstArrivalAfterGap(List<WebhookReceiver.Delivery> deliveries, long since) {
    long[] after = deliveries.stream().mapToLong(WebhookReceiver.Delivery::arrivedNanos)
        .filter(t -> t > since).sorted().toArray();
    long previous = since;
    long bestGap = 0;
    long resumedAt = since;
    for (long t : after) {
      if (t - previous > bestGap) {
        bestGap = t - previous;
        resumedAt = t;
      }
      previous = t;
    }
    return resumedAt - since;
  }
}
