package io.restock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restock.support.Api;
import io.restock.support.ServiceExtension;
import io.restock.support.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SubscriptionApiTest {
  @RegisterExtension static final ServiceExtension service = ServiceExtension.start(Map.of());
  final Api api = service.api();
  long productId;

  @BeforeEach
  void product() {
    productId = api.createProduct("Watched", 0);
  }

  @Test
  void subscribing_is_201_then_200_and_unsubscribing_is_204_every_time() {
    String path = "/products/" + productId + "/subscriptions/42";
    assertEquals(201, api.put(path, null).status());
    assertEquals(200, api.put(path, null).status());
    assertEquals(204, api.delete(path).status());
    assertEquals(204, api.delete(path).status());
    assertEquals(List.of(), activeUsersInSendOrder());
  }

  @Test
  void re_subscribing_after_a_delete_moves_the_user_to_the_back() {
    for (long user : new long[] {3, 1, 2}) {
      api.put("/products/" + productId + "/subscriptions/" + user, null);
    }
    api.delete("/products/" + productId + "/subscriptions/3");
    assertEquals(201, api.put("/products/" + productId + "/subscriptions/3", null).status());

    assertEquals(List.of(1L, 2L, 3L), activeUsersInSendOrder());
  }

  @Test
  void bulk_subscribes_a_range_in_order_and_counts_only_new_ones() {
    api.put("/products/" + productId + "/subscriptions/5", null);
    Api.Response bulk = api.post("/admin/products/" + productId + "/subscriptions",
        "{\"userIdFrom\":1,\"userIdTo\":10}");

    assertEquals(201, bulk.status());
    assertEquals(9, bulk.json().get("created").asInt());
    List<Long> order = activeUsersInSendOrder();
    assertEquals(List.of(5L, 1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 10L), order);
  }

  @Test
  void bulk_inserts_a_hundred_thousand_users_in_one_request() {
    long started = System.nanoTime();
    Api.Response bulk = api.post("/admin/products/" + productId + "/subscriptions",
        "{\"userIdFrom\":1,\"userIdTo\":100000}");
    double seconds = (System.nanoTime() - started) / 1e9;

    assertEquals(201, bulk.status(), bulk.toString());
    assertEquals(100_000, bulk.json().get("created").asInt());
    assertEquals(100_000, activeUsersInSendOrder().size());
    System.out.printf("bulk insert: 100000 subscriptions in %.2f s (%.0f rows/s)%n",
        seconds, 100_000 / seconds);
  }

  @Test
  void bulk_at_the_top_of_the_id_range_writes_exactly_that_range_and_ends() {
    long from = 9_223_372_036_854_775_000L;
    Api.Response bulk = api.post("/admin/products/" + productId + "/subscriptions",
        "{\"userIdFrom\":" + from + ",\"userIdTo\":" + Long.MAX_VALUE + "}");

    assertEquals(201, bulk.status(), bulk.toString());
    assertEquals(808, bulk.json().get("created").asInt());
    List<Long> order = activeUsersInSendOrder();
    assertEquals(LongStream.rangeClosed(from, Long.MAX_VALUE).boxed().toList(), order);
    assertEquals(808, subscriptionRows(), "rows outside the range were written");
  }

  @Test
  void bulk_of_the_one_user_at_long_max_value() {
    Api.Response bulk = api.post("/admin/products/" + productId + "/subscriptions",
        "{\"userIdFrom\":" + Long.MAX_VALUE + ",\"userIdTo\":" + Long.MAX_VALUE + "}");

    assertEquals(201, bulk.status(), bulk.toString());
    assertEquals(1, bulk.json().get("created").asInt());
    assertEquals(List.of(Long.MAX_VALUE), activeUsersInSendOrder());
    assertEquals(1, subscriptionRows());
  }

  private static int subscriptionRows() {
    try (Connection c = TestServices.get().connect();
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT COUNT(*) FROM product_user_notification")) {
      rs.next();
      return rs.getInt(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<Long> activeUsersInSendOrder() {
    List<Long> users = new ArrayList<>();
    try (Connection c = TestServices.get().connect();
        PreparedStatement s = c.prepareStatement("""
            SELECT user_id FROM product_user_notification
            WHERE product_id = ? AND is_active = TRUE ORDER BY created_at, id""")) {
      s.setLong(1, productId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          users.add(rs.getLong(1));
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return users;
  }
}
