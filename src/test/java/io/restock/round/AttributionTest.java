package io.restock.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.support.Api;
import io.restock.support.ServiceExtension;
import io.restock.support.TestServices;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Purchases counted for the round that told the buyer (SPEC rule 10), on the real servers. */
class AttributionTest {
  @RegisterExtension static final ServiceExtension service = ServiceExtension.start(Map.of());
  final Api api = service.api();

  @Test
  void a_told_buyer_counts_once_with_every_unit_and_others_do_not_count() {
    long productId = completedRound();
    String before = api.get("/metrics").body();

    buy(productId, 3L, 1);
    buy(productId, 3L, 2);
    buy(productId, 99L, 1); // not subscribed, never told
    buy(productId, null, 1); // no buyer named

    JsonNode round = api.latestRound(productId);
    assertEquals(1, round.get("conversions").asInt(), round.toString());
    assertEquals(3, round.get("unitsSold").asLong(), round.toString());
    assertEquals(0.1, round.get("conversionRate").asDouble(), 1e-9, round.toString());
    String after = api.get("/metrics").body();
    assertEquals(metric(before, "restock_conversions_total") + 1,
        metric(after, "restock_conversions_total"));
    assertEquals(metric(before, "restock_units_sold_total") + 3,
        metric(after, "restock_units_sold_total"));
  }

  @Test
  void a_purchase_counts_for_the_latest_round_that_told_the_buyer() {
    long productId = completedRound();
    api.post("/products/" + productId + "/notifications/re-stock", "{\"quantity\":1}");
    api.awaitRoundEnd(productId, Duration.ofSeconds(20));

    buy(productId, 4L, 1);
    JsonNode rounds = api.get("/products/" + productId + "/notifications").json();
    assertEquals(1, rounds.get(0).get("conversions").asInt(), rounds.toString());
    assertEquals(0, rounds.get(1).get("conversions").asInt(), rounds.toString());
  }

  @Test
  void a_round_that_started_before_the_window_gets_no_purchase() throws Exception {
    long productId = completedRound();
    try (Connection c = TestServices.get().connect(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE product_notification_history"
          + " SET started_at = started_at - INTERVAL 73 HOUR WHERE product_id = " + productId);
    }
    buy(productId, 3L, 1);
    JsonNode round = api.latestRound(productId);
    assertEquals(0, round.get("conversions").asInt(), round.toString());
    assertEquals(0, round.get("unitsSold").asLong(), round.toString());
  }

  @Test
  void a_round_nobody_was_told_in_has_no_conversion_rate_and_bad_buyers_are_refused() {
    long productId = api.createProduct("Empty", 0);
    api.post("/products/" + productId + "/notifications/re-stock", "{\"quantity\":5}");
    JsonNode round = api.awaitRoundEnd(productId, Duration.ofSeconds(20));
    assertTrue(round.get("conversionRate").isNull(), round.toString());
    Api.Response refused = api.post("/products/" + productId + "/purchases",
        "{\"quantity\":1,\"userId\":0}");
    assertEquals(400, refused.status(), refused.toString());
  }

  /** A product whose first round told users 1..10 and completed; 20 in stock. */
  private long completedRound() {
    long productId = api.createProduct("Mug", 0);
    api.subscribeRange(productId, 1, 10);
    api.post("/products/" + productId + "/notifications/re-stock", "{\"quantity\":20}");
    JsonNode done = api.awaitRoundEnd(productId, Duration.ofSeconds(20));
    assertEquals("COMPLETED", done.get("status").asText(), done.toString());
    assertEquals(1, done.get("restockRound").asInt());
    assertTrue(done.get("conversionRate").asDouble() == 0.0, done.toString());
    return productId;
  }

  private void buy(long productId, Long userId, int quantity) {
    Api.Response bought = api.post("/products/" + productId + "/purchases",
        "{\"quantity\":" + quantity + (userId == null ? "" : ",\"userId\":" + userId) + "}");
    assertEquals(200, bought.status(), bought.toString());
  }

  private static double metric(String scrape, String name) {
    return scrape.lines().filter(l -> l.startsWith(name + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(name.length() + 1))).orElse(0.0);
  }
}
