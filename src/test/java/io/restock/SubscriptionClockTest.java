package io.restock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restock.support.Api;
import io.restock.support.ServiceExtension;
import io.restock.support.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One clock decides subscription order: MySQL's. The service's MySQL sessions are set an hour
 * behind this JVM (and held there: SET timestamp), as if the JVM's clock ran an hour fast; a
 * user who subscribes after a bulk subscription must still come after it.
 */
class SubscriptionClockTest {
  /** MySQL's time in the service's sessions, with microseconds so their round trip shows. */
  private static final String MYSQL_NOW = Instant.now().minusSeconds(3_600).getEpochSecond() + ".123456";
  @RegisterExtension static final ServiceExtension service = ServiceExtension.start(Map.of(
      "DB_URL", TestServices.get().jdbcUrl() + "&sessionVariables=timestamp=" + MYSQL_NOW));
  final Api api = service.api();

  @Test
  void a_single_subscribe_after_a_bulk_one_sorts_after_it_whatever_the_jvm_clock_says()
      throws Exception {
    long productId = api.createProduct("Clocked", 0);
    api.subscribeRange(productId, 1, 3);
    assertEquals(201, api.put("/products/" + productId + "/subscriptions/100", null).status());

    List<Subscription> order = inSendOrder(productId);
    assertEquals(List.of(1L, 2L, 3L, 100L), order.stream().map(Subscription::userId).toList());
    LocalDateTime mysqlNow = LocalDateTime.ofEpochSecond(Long.parseLong(MYSQL_NOW.split("\\.")[0]),
        123_456_000, ZoneOffset.UTC);
    order.forEach(s -> assertEquals(mysqlNow, s.createdAt(), "user " + s.userId()
        + "'s created_at is not MySQL's clock"));
  }

  private record Subscription(long userId, LocalDateTime createdAt) {}

  private static List<Subscription> inSendOrder(long productId) throws SQLException {
    List<Subscription> order = new ArrayList<>();
    try (Connection c = TestServices.get().connect();
        PreparedStatement s = c.prepareStatement("""
            SELECT user_id, created_at FROM product_user_notification
            WHERE product_id = ? AND is_active = TRUE ORDER BY created_at, id""")) {
      s.setLong(1, productId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          order.add(new Subscription(rs.getLong(1), rs.getObject(2, LocalDateTime.class)));
        }
      }
    }
    return order;
  }
}
