package io.restock.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.infra.PoolSizes;
import io.restock.support.Api;
import io.restock.support.Concurrently;
import io.restock.support.Poll;
import io.restock.support.RunningApp;
import io.restock.support.TestServices;
import io.restock.support.WebhookReceiver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The rush that follows a restock: purchases and stock changes on the product being announced,
 * piling up behind its row lock (held here by another MySQL session, as by a slow transaction).
 * The API may turn requests away meanwhile; sending must go on.
 */
class PurchaseBurstTest {
  private static final int SUBSCRIBERS = 4_000;
  private static final int BURST = 64;
  /** Enough requests stuck on the lock to hold every connection the API has. */
  private static final int SATURATED = PoolSizes.API_MYSQL;

  @Test
  void a_burst_stuck_on_the_product_row_lock_does_not_stall_the_round() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver();
        RunningApp app = RunningApp.start(Map.of("NOTIFIER_WEBHOOK_URL", receiver.url()))) {
      Api api = app.api();
      long productId = api.createProduct("Hyped", 0);
      api.subscribeRange(productId, 1, SUBSCRIBERS);
      assertEquals(202, api.post("/products/" + productId + "/notifications/re-stock",
          "{\"quantity\":1000000}").status());
      Poll.until(Duration.ofSeconds(20), "the round under way", () -> recorded(productId) >= 200);

      CompletableFuture<List<Integer>> answers;
      try (Connection slow = TestServices.get().connect()) {
        slow.setAutoCommit(false);
        lockProductRow(slow, productId);
        answers = CompletableFuture.supplyAsync(() -> burst(api, productId));
        Poll.until(Duration.ofSeconds(20), SATURATED + " requests waiting on the row lock",
            () -> lockWaits(slow) >= SATURATED);

        // Held for ~3 s of sending at the default cap: longer than a request waits for an API
        // connection, so some of the burst is turned away with 503 meanwhile.
        int before = recorded(productId);
        long since = System.nanoTime();
        int during = Poll.until(Duration.ofSeconds(30),
            "messages recorded while the burst waits on the row lock (" + before + " before)",
            () -> recorded(productId), count -> count >= before + 1_500);
        assertTrue(lockWaits(slow) >= SATURATED, "the burst got through before the check");
        assertTrue(during < SUBSCRIBERS, "the round ended during the burst; it proves nothing");
        slow.rollback();
        System.out.printf("while %d+ requests waited on the row lock: %d messages recorded in"
            + " %d ms%n", SATURATED, during - before, (System.nanoTime() - since) / 1_000_000);
      }

      List<Integer> statuses = answers.get(60, TimeUnit.SECONDS);
      assertEquals(Set.of(), statuses.stream().filter(s -> s != 200 && s != 409 && s != 503)
          .collect(Collectors.toSet()), "answers to the burst: " + statuses);
      assertTrue(statuses.contains(200), "none of the burst got through: " + statuses);

      JsonNode round = api.awaitRoundEnd(productId, Duration.ofSeconds(60));
      assertEquals("COMPLETED", round.get("status").asText(), round.toString());
      assertEquals(SUBSCRIBERS, round.get("notifiedCount").asInt(), round.toString());
      assertEquals(new RoundHistory(SUBSCRIBERS, SUBSCRIBERS), RoundHistory.of(productId, 1));
      List<WebhookReceiver.Delivery> delivered = receiver.accepted(productId);
      assertEquals(SUBSCRIBERS, delivered.size());
      assertEquals(SUBSCRIBERS,
          delivered.stream().map(WebhookReceiver.Delivery::userId).distinct().count());
      System.out.printf("burst of %d on a locked product row: %s%n", BURST,
          statuses.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting())));
    }
  }

  /** Purchases of one and stock settings, in turns: every one of them takes the row lock. */
  private static List<Integer> burst(Api api, long productId) {
    AtomicInteger turn = new AtomicInteger();
    try {
      return Concurrently.run(BURST, () -> turn.getAndIncrement() % 2 == 0
          ? api.post("/products/" + productId + "/purchases", "{\"quantity\":1}").status()
          : api.put("/products/" + productId + "/stock", "{\"stock\":1000000}").status());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void lockProductRow(Connection c, long productId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT stock FROM product WHERE id = ? FOR UPDATE")) {
      s.setLong(1, productId);
      s.executeQuery().close();
    }
  }

  /**
   * Other sessions on the test database in a locking read or a purchase: with the row locked by
   * {@code c}, each of them waits for it. (A transaction waiting on its first lock is not always in
   * innodb_trx yet, so the process list is asked.)
   */
  private static int lockWaits(Connection c) {
    try (PreparedStatement s = c.prepareStatement("""
            SELECT COUNT(*) FROM information_schema.processlist
            WHERE db = DATABASE() AND id <> CONNECTION_ID() AND command = 'Query'
              AND (info LIKE '%FOR UPDATE%' OR info LIKE '%UPDATE product SET stock%')""");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Messages of round 1 that MySQL has recorded: what the round's notifiedCount counts. */
  private static int recorded(long productId) {
    return RoundHistory.of(productId, 1).rows();
  }
}
