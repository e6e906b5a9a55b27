package io.restock.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.infra.RedisKeys;
import io.restock.support.Api;
import io.restock.support.Poll;
import io.restock.support.ServiceExtension;
import io.restock.support.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * MySQL's lock-wait timeout, caused for real: the test holds a lock the service needs, and the
 * service's sessions give up waiting after 1 s instead of the default 50 s (86,400 s for table
 * locks). A request that timed out answers 503 UNAVAILABLE, a round that did pauses and completes.
 */
class MySqlLockTimeoutTest {
  @RegisterExtension static final ServiceExtension service = ServiceExtension.start(Map.of(
      "DB_URL", TestServices.get().jdbcUrl()
          + "&sessionVariables=innodb_lock_wait_timeout=1,lock_wait_timeout=1"));
  final Api api = service.api();

  @Test
  void a_stock_change_kept_waiting_for_the_product_row_answers_503_and_changes_nothing()
      throws Exception {
    long productId = api.createProduct("Contended", 5);
    try (Connection holder = TestServices.get().connect()) {
      holder.setAutoCommit(false);
      try (PreparedStatement lock = holder.prepareStatement(
          "SELECT stock FROM product WHERE id = ? FOR UPDATE")) {
        lock.setLong(1, productId);
        lock.executeQuery().close();
      }

      assertUnavailable(api.put("/products/" + productId + "/stock", "{\"stock\":9}"));
      assertUnavailable(api.post("/products/" + productId + "/purchases", "{\"quantity\":1}"));
      // The purchase took its unit off the Redis copy before MySQL timed out; it gave it back.
      try (RedisClient redis = TestServices.get().redis()) {
        assertEquals("5", redis.get(RedisKeys.stock(productId)));
        assertEquals(0, redis.hlen(RedisKeys.stockTickets(productId)));
      }
      assertUnavailable(api.post("/products/" + productId + "/notifications/re-stock", null));
      holder.rollback();
    }

    assertEquals(5, api.get("/products/" + productId).json().get("stock").asInt());
    assertEquals(0, api.get("/products/" + productId + "/notifications").json().size());
    assertEquals(200, api.put("/products/" + productId + "/stock", "{\"stock\":9}").status());
  }

  @Test
  void a_round_whose_page_read_times_out_pauses_and_completes() throws Exception {
    int subscribers = 2_000;
    long productId = api.createProduct("Locked out", 5);
    api.subscribeRange(productId, 1, subscribers);
    assertEquals(202, api.post("/products/" + productId + "/notifications/re-stock", null).status());
    Poll.until(Duration.ofSeconds(10), "the round to be under way",
        () -> api.latestRound(productId).get("notifiedCount").asInt() > 0);

    try (Connection holder = TestServices.get().connect(); Statement s = holder.createStatement()) {
      // The round reads its next page of subscribers from this table: it waits, times out, and
      // (once it has paused) waits again.
      s.execute("LOCK TABLES product_user_notification WRITE");
      try {
        awaitPageReadWaiting(true);
        awaitPageReadWaiting(false);
        awaitPageReadWaiting(true);
        assertTrue(api.latestRound(productId).get("notifiedCount").asInt() < subscribers);
      } finally {
        s.execute("UNLOCK TABLES");
      }
    }

    assertEquals("COMPLETED",
        api.awaitRoundEnd(productId, Duration.ofSeconds(60)).get("status").asText());
    assertEquals(LongStream.rangeClosed(1, subscribers).boxed().toList(),
        api.notifiedUsers(productId, 1));
  }

  /** Waits until the round's page read is (or is no longer) waiting for the table lock. */
  private static void awaitPageReadWaiting(boolean waiting) {
    Poll.until(Duration.ofSeconds(10), "the page read " + (waiting ? "to wait" : "to give up"),
        () -> pageReadsWaiting() > 0 == waiting);
  }

  private static int pageReadsWaiting() {
    try (Connection c = TestServices.get().connect();
        ResultSet rs = c.createStatement().executeQuery("""
            SELECT COUNT(*) FROM information_schema.processlist
            WHERE db = DATABASE() AND state = 'Waiting for table metadata lock'
              AND info LIKE '%LEFT JOIN product_user_notification_history%'""")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertUnavailable(Api.Response answer) {
    assertEquals(503, answer.status(), answer.toString());
    assertEquals("UNAVAILABLE", answer.json().get("error").asText(), answer.toString());
    assertTrue(answer.json().get("message").asText().contains("try again"), answer.toString());
  }
}
