package io.restock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.support.Api;
import io.restock.support.ServiceExtension;
import io.restock.support.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Numbers at the top of their column types (stock and round are INT, ids BIGINT) that need a
 * product in some state first; the ones refused whatever the state are in ErrorResponsesTest.
 */
class EdgeInputTest {
  @RegisterExtension static final ServiceExtension service = ServiceExtension.start(Map.of());
  final Api api = service.api();

  @Test
  void a_restock_that_would_overflow_the_stock_is_refused_and_changes_nothing() {
    long id = api.createProduct("Almost full", 2_147_483_000);

    Api.Response refused = api.post("/products/" + id + "/notifications/re-stock",
        "{\"quantity\":1000}");

    assertEquals(400, refused.status(), refused.toString());
    assertEquals("BAD_REQUEST", refused.json().get("error").asText());
    assertTrue(refused.json().get("message").asText().contains("2147483647"), refused.toString());
    assertProduct(id, 2_147_483_000, 0);
    assertEquals(0, api.get("/products/" + id + "/notifications").json().size());

    Api.Response toTheTop = api.post("/products/" + id + "/notifications/re-stock",
        "{\"quantity\":647}");
    assertEquals(202, toTheTop.status(), toTheTop.toString());
    assertProduct(id, Integer.MAX_VALUE, 1);
  }

  @Test
  void stock_can_be_set_to_int_max_and_all_of_it_bought() {
    long id = api.createProduct("Plenty", 0);

    Api.Response set = api.put("/products/" + id + "/stock", "{\"stock\":2147483647}");
    assertEquals(200, set.status(), set.toString());
    assertEquals(Integer.MAX_VALUE, set.json().get("stock").asInt());

    Api.Response bought = api.post("/products/" + id + "/purchases", "{\"quantity\":2147483647}");
    assertEquals(200, bought.status(), bought.toString());
    assertProduct(id, 0, 0);
  }

  @Test
  void the_round_after_round_int_max_is_refused_not_wrapped_negative() throws Exception {
    long id = api.createProduct("Much restocked", 3);
    try (Connection c = TestServices.get().connect();
        PreparedStatement s = c.prepareStatement("UPDATE product SET restock_round = ? WHERE id = ?")) {
      s.setInt(1, Integer.MAX_VALUE);
      s.setLong(2, id);
      s.executeUpdate();
    }

    Api.Response refused = api.post("/products/" + id + "/notifications/re-stock", "{\"quantity\":1}");

    assertEquals(409, refused.status(), refused.toString());
    assertEquals("ROUND_LIMIT", refused.json().get("error").asText());
    assertProduct(id, 3, Integer.MAX_VALUE);
    assertEquals(0, api.get("/products/" + id + "/notifications").json().size());
  }

  @Test
  void a_users_page_after_the_last_possible_cursor_is_empty() {
    long id = api.createProduct("Read back", 1);
    api.subscribeRange(id, 1, 3);
    api.post("/products/" + id + "/notifications/re-stock", null);
    api.awaitRoundEnd(id, Duration.ofSeconds(30));

    Api.Response page = api.get("/products/" + id + "/notifications/1/users?limit=1000&after="
        + Long.MAX_VALUE);

    assertEquals(200, page.status(), page.toString());
    assertEquals(0, page.json().get("userIds").size());
    assertTrue(page.json().get("next").isNull());
    assertEquals(List.of(1L, 2L, 3L), api.notifiedUsers(id, 1));
  }

  @Test
  void the_user_id_long_max_value_subscribes_unsubscribes_and_comes_back() {
    long id = api.createProduct("Watched", 0);
    String path = "/products/" + id + "/subscriptions/" + Long.MAX_VALUE;

    Api.Response created = api.put(path, null);
    assertEquals(201, created.status(), created.toString());
    assertEquals(Long.MAX_VALUE, created.json().get("userId").asLong());
    assertEquals(200, api.put(path, null).status());
    assertEquals(204, api.delete(path).status());
    assertEquals(201, api.put(path, null).status());
  }

  private void assertProduct(long id, int stock, int round) {
    JsonNode product = api.get("/products/" + id).json();
    assertEquals(stock, product.get("stock").asInt(), product.toString());
    assertEquals(round, product.get("restockRound").asInt(), product.toString());
  }
}
