package io.restock.waves;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.support.Api;
import io.restock.support.Poll;
import io.restock.support.ServiceExtension;
import io.restock.support.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Waves sized to stock (SPEC rule 9), against the real servers and a webhook receiver. */
class WavesTest {
  @RegisterExtension static final ServiceExtension service = ServiceExtension.withWebhook(Map.of());
  final Api api = service.api();
  final WebhookReceiver receiver = service.receiver();

  @Test
  void each_wave_tells_per_unit_times_the_stock_then_a_sell_out_between_waves_ends_the_round() {
    long productId = api.createProduct("Lamp", 0);
    api.subscribeRange(productId, 1, 200);
    setPolicy(productId, "{\"perUnit\":3,\"waveIntervalSeconds\":2,\"minStock\":1}");
    assertEquals(202, restock(productId, 10).status());

    JsonNode first = awaitWaiting(productId, 1);
    assertEquals(30, first.get("notifiedCount").asInt());
    assertEquals(range(1, 30), api.notifiedUsers(productId, 1));
    assertEquals(range(1, 30), acceptedUsers(productId));
    Api.Response busy = restock(productId, 0);
    assertEquals(409, busy.status(), busy.toString());
    assertTrue(busy.json().get("message").asText().contains("waits for its next wave"),
        busy.toString());

    assertEquals(6, purchase(productId, 4).json().get("stock").asInt());
    awaitWaiting(productId, 2);
    assertEquals(range(1, 48), api.notifiedUsers(productId, 1));
    assertEquals(range(1, 48), acceptedUsers(productId));

    purchase(productId, 6);
    JsonNode ended = api.latestRound(productId);
    assertEquals("CANCELED_BY_SOLD_OUT", ended.get("status").asText(), ended.toString());
    assertTrue(ended.get("nextWaveAt").isNull(), ended.toString());
    assertEquals(2, ended.get("wavesSent").asInt());

    receiver.clear();
    assertEquals(202, restock(productId, 1).status());
    JsonNode next = awaitWaiting(productId, 1);
    assertEquals(2, next.get("restockRound").asInt());
    assertEquals(range(49, 51), api.notifiedUsers(productId, 2));
    assertEquals(range(49, 51), acceptedUsers(productId));
  }

  @Test
  void a_sell_out_while_a_waves_last_answer_is_awaited_ends_the_round_instead_of_waiting() {
    long productId = api.createProduct("Torch", 0);
    api.subscribeRange(productId, 1, 100);
    setPolicy(productId, "{\"perUnit\":2,\"waveIntervalSeconds\":600,\"minStock\":1}");
    receiver.delay(10, 3_000); // the wave's last message: its answer comes 3 s after it left
    assertEquals(202, restock(productId, 5).status());
    Poll.until(Duration.ofSeconds(20), "the wave's last message to reach the receiver",
        () -> receiver.requests().stream().anyMatch(r -> r.userId() == 10));

    purchase(productId, 5); // no round is waiting yet: the run is still in its wave
    JsonNode ended = api.awaitRoundEnd(productId, Duration.ofSeconds(20));
    assertEquals("CANCELED_BY_SOLD_OUT", ended.get("status").asText(), ended.toString());
    assertTrue(ended.get("nextWaveAt").isNull(), ended.toString());
    assertEquals(10, ended.get("notifiedCount").asInt());
    assertEquals(range(1, 10), acceptedUsers(productId));
  }

  @Test
  void below_min_stock_a_trigger_is_refused_and_no_wave_starts_until_the_stock_is_back() {
    long productId = api.createProduct("Kettle", 0);
    api.subscribeRange(productId, 1, 50);
    setPolicy(productId, "{\"perUnit\":2,\"waveIntervalSeconds\":1,\"minStock\":3}");

    Api.Response refused = restock(productId, 2);
    assertEquals(409, refused.status(), refused.toString());
    assertEquals("BELOW_MIN_STOCK", refused.json().get("error").asText());
    assertEquals(0, api.get("/products/" + productId).json().get("stock").asInt());

    restock(productId, 5);
    JsonNode first = awaitWaiting(productId, 1);
    assertEquals(range(1, 10), acceptedUsers(productId));

    purchase(productId, 3);
    // Each look at the stock below minStock moves the next one an interval on, sending nothing.
    Instant firstCheck = Instant.parse(first.get("nextWaveAt").asText());
    Poll.until(Duration.ofSeconds(10), "a later stock check", () -> {
      JsonNode round = api.latestRound(productId);
      return !round.get("nextWaveAt").isNull()
          && Instant.parse(round.get("nextWaveAt").asText()).isAfter(firstCheck.plusMillis(500));
    });
    assertEquals(1, api.latestRound(productId).get("wavesSent").asInt());
    assertEquals(range(1, 10), acceptedUsers(productId));

    api.put("/products/" + productId + "/stock", "{\"stock\":4}");
    awaitWaiting(productId, 2);
    assertEquals(range(1, 18), acceptedUsers(productId));
  }

  @Test
  void the_last_wave_completes_the_round_and_metrics_and_round_count_its_waves() {
    long productId = api.createProduct("Fan", 0);
    api.subscribeRange(productId, 1, 12);
    setPolicy(productId, "{\"perUnit\":1,\"waveIntervalSeconds\":1}");
    restock(productId, 5);

    JsonNode done = api.awaitRoundEnd(productId, Duration.ofSeconds(20));
    assertEquals("COMPLETED", done.get("status").asText(), done.toString());
    assertEquals(3, done.get("wavesSent").asInt(), done.toString());
    assertEquals(range(1, 12), acceptedUsers(productId));
    String metrics = api.get("/metrics").body();
    assertTrue(metrics.contains("restock_round_waves_count"), "waves per round in /metrics");
  }

  @Test
  void a_resend_finishes_the_wave_an_error_stopped_with_the_quota_it_started_with() {
    long productId = api.createProduct("Chair", 0);
    api.subscribeRange(productId, 1, 40);
    setPolicy(productId, "{\"perUnit\":2,\"waveIntervalSeconds\":60}");
    receiver.answerAll(401);
    restock(productId, 5);
    JsonNode stopped = api.awaitRoundEnd(productId, Duration.ofSeconds(20));
    assertEquals("CANCELED_BY_ERROR", stopped.get("status").asText(), stopped.toString());

    receiver.acceptAll();
    purchase(productId, 2); // a new wave would now be 2 x 3; the stopped one was 2 x 5
    assertEquals(202, api.post("/admin/products/" + productId + "/notifications/re-stock", null)
        .status());
    JsonNode waiting = awaitWaiting(productId, 1);
    assertEquals(10, waiting.get("notifiedCount").asInt(), waiting.toString());
    assertEquals(range(1, 10), api.notifiedUsers(productId, 1));
  }

  @Test
  void the_policy_reads_back_and_bad_values_are_refused_with_a_message() {
    long productId = api.createProduct("Desk", 0);
    String path = "/products/" + productId + "/notification-policy";
    JsonNode defaults = api.get(path).json();
    assertTrue(defaults.get("perUnit").isNull());
    assertEquals(3600, defaults.get("waveIntervalSeconds").asInt());
    assertEquals(1, defaults.get("minStock").asInt());

    Api.Response set = api.put(path, "{\"perUnit\":2,\"waveIntervalSeconds\":60,\"minStock\":5}");
    assertEquals(200, set.status(), set.toString());
    assertEquals(5, api.get(path).json().get("minStock").asInt());
    assertEquals(2, api.get(path).json().get("perUnit").asInt());

    for (String bad : List.of("{\"perUnit\":0}", "{\"waveIntervalSeconds\":0}",
        "{\"waveIntervalSeconds\":86401}", "{\"minStock\":0}", "{\"perUnit\":\"x\"}")) {
      Api.Response refused = api.put(path, bad);
      assertEquals(400, refused.status(), bad + " -> " + refused);
      assertTrue(refused.json().get("message").asText().length() > 10, refused.toString());
    }
    assertEquals(404, api.get("/products/999999999/notification-policy").status());
    assertEquals(2, api.get(path).json().get("perUnit").asInt(), "a refused update changes nothing");
  }

  private void setPolicy(long productId, String body) {
    Api.Response set = api.put("/products/" + productId + "/notification-policy", body);
    assertEquals(200, set.status(), set.toString());
  }

  private Api.Response restock(long productId, int quantity) {
    return api.post("/products/" + productId + "/notifications/re-stock",
        "{\"quantity\":" + quantity + "}");
  }

  private Api.Response purchase(long productId, int quantity) {
    Api.Response bought = api.post("/products/" + productId + "/purchases",
        "{\"quantity\":" + quantity + "}");
    assertEquals(200, bought.status(), bought.toString());
    return bought;
  }

  /** The newest round once it waits between waves with this many sent. */
  private JsonNode awaitWaiting(long productId, int wavesSent) {
    return Poll.until(Duration.ofSeconds(20), wavesSent + " waves sent, waiting",
        () -> api.latestRound(productId),
        round -> round.get("wavesSent").asInt() == wavesSent && !round.get("nextWaveAt").isNull());
  }

  private List<Long> acceptedUsers(long productId) {
    return accepted(receiver, productId);
  }

  /** Who the receiver heard from, by user id: messages in flight may arrive out of order. */
  static List<Long> accepted(WebhookReceiver receiver, long productId) {
    return receiver.accepted(productId).stream().map(WebhookReceiver.Delivery::userId).sorted()
        .toList();
  }

  static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }
}
