package io.restock.access;

import static io.restock.access.AccessTest.ADMIN_TOKEN;
import static io.restock.access.AccessTest.SHOP_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restock.support.Api;
import io.restock.support.RunningApp;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One of the two tokens set: the routes of the other role take only the token that is set. */
class OneTokenTest {
  private static final String NEW_PRODUCT = "{\"name\":\"One token\",\"stock\":1}";

  @Test
  void with_only_the_admin_token_it_opens_every_route_and_nothing_else_does() throws Exception {
    try (RunningApp app =
        RunningApp.start(Map.of("ADMIN_TOKEN", ADMIN_TOKEN, "BIND_ADDRESS", "127.0.0.1"))) {
      Api admin = app.api().withToken(ADMIN_TOKEN);
      assertEquals(201, admin.post("/products", NEW_PRODUCT).status());
      assertEquals(200, admin.get("/metrics").status());
      assertEquals(401, app.api().withToken(SHOP_TOKEN).post("/products", NEW_PRODUCT).status());
      assertEquals(401, app.api().post("/products", NEW_PRODUCT).status());
    }
  }

  @Test
  void with_only_the_shop_token_the_operator_routes_refuse_every_caller() throws Exception {
    try (RunningApp app =
        RunningApp.start(Map.of("SHOP_TOKEN", SHOP_TOKEN, "BIND_ADDRESS", "127.0.0.1"))) {
      Api shop = app.api().withToken(SHOP_TOKEN);
      long productId = shop.createProduct("One token", 1);
      assertEquals(201, shop.put("/products/" + productId + "/subscriptions/1", null).status());
      assertEquals(403, shop.get("/metrics").status());
      assertEquals(401, app.api().withToken(ADMIN_TOKEN).get("/metrics").status());
      assertEquals(401, app.api().get("/metrics").status());
    }
  }
}
