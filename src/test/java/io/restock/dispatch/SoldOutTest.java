package io.restock.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.infra.RedisKeys;
import io.restock.support.Api;
import io.restock.support.Poll;
import io.restock.support.ServiceExtension;
import io.restock.support.TestServices;
import io.restock.support.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * A sale that empties the stock stops the round; the next round starts with the first user the
 * stopped one never reached. At the default cap, one message in flight at a time, so "at most one
 * message after the stock reached zero" can be checked exactly at the receiver.
 */
class SoldOutTest {
  @RegisterExtension static final ServiceExtension service = ServiceExtension.withWebhook(Map.of(
      "NOTIFY_RATE_PER_SEC", "500",
      "NOTIFIER_CONCURRENCY", "1"));
  final Api api = service.api();
  final WebhookReceiver receiver = service.receiver();

  @Test
  void buying_the_last_item_stops_the_round_and_the_next_round_starts_where_it_stopped() {
    long productId = roundPast100("Console", 1_000, 2);
    Api.Response sold = api.post("/products/" + productId + "/purchases", "{\"quantity\":2}");
    int receivedWhenSoldOut = receiver.accepted(productId).size();
    assertEquals(0, sold.json().get("stock").asInt(), sold.toString());

    JsonNode stopped = api.awaitRoundEnd(productId, Duration.ofSeconds(10));
    assertEquals("CANCELED_BY_SOLD_OUT", stopped.get("status").asText());
    int received = receiver.accepted(productId).size();
    assertTrue(received - receivedWhenSoldOut <= 1,
        (received - receivedWhenSoldOut) + " messages arrived after the stock reached zero");
    int reached = stopped.get("notifiedCount").asInt();
    assertEquals(received, reached);
    assertTrue(reached < 1_000, "the round was not cut off");
    assertEquals((long) reached, stopped.get("lastNotifiedUserId").asLong());

    receiver.clear();
    assertEquals(202, api.post("/products/" + productId + "/notifications/re-stock",
        "{\"quantity\":1}").status());
    JsonNode next = api.awaitRoundEnd(productId, Duration.ofSeconds(15));

    assertEquals(2, next.get("restockRound").asInt());
    assertEquals("COMPLETED", next.get("status").asText());
    List<Long> expected = new ArrayList<>(LongStream.rangeClosed(reached + 1, 1_000).boxed().toList());
    expected.addAll(LongStream.rangeClosed(1, reached).boxed().toList());
    assertEquals(expected, api.notifiedUsers(productId, 2));
    assertEquals(expected, receiver.accepted(productId).stream()
        .map(WebhookReceiver.Delivery::userId).toList());
  }

  /**
   * A purchase cut short (its process killed, or Redis's answer lost) leaves the Redis copy low,
   * here at 0 while MySQL still has stock: the round checks MySQL before it ends as sold out.
   */
  @Test
  void a_stock_copy_left_low_does_not_end_the_round_while_mysql_has_stock() {
    long productId = roundPast100("Lamp", 600, 5);
    try (RedisClient redis = TestServices.get().redis()) {
      redis.set(RedisKeys.stock(productId), "0");
    }

    JsonNode round = api.awaitRoundEnd(productId, Duration.ofSeconds(15));
    assertEquals("COMPLETED", round.get("status").asText(), round.toString());
    assertEquals(600, round.get("notifiedCount").asInt());
    assertEquals(600L, round.get("lastNotifiedUserId").asLong());
    List<Long> everyone = LongStream.rangeClosed(1, 600).boxed().toList();
    assertEquals(everyone, api.notifiedUsers(productId, 1), "the round's history");
    assertEquals(everyone, receiver.accepted(productId).stream()
        .map(WebhookReceiver.Delivery::userId).toList());
  }

  /** A product restocked with {@code stock} whose round has told its first 100 subscribers. */
  private long roundPast100(String name, int subscribers, int stock) {
    long productId = api.createProduct(name, 0);
    api.subscribeRange(productId, 1, subscribers);
    api.post("/products/" + productId + "/notifications/re-stock", "{\"quantity\":" + stock + "}");
    Poll.until(Duration.ofSeconds(10), "100 messages", () -> receiver.accepted(productId).size() >= 100);
    return productId;
  }
}
