package io.restock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restock.infra.RedisKeys;
import io.restock.support.Api;
import io.restock.support.Concurrently;
import io.restock.support.ServiceExtension;
import io.restock.support.TestServices;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

class ProductApiTest {
  @RegisterExtension static final ServiceExtension service = ServiceExtension.start(Map.of());
  final Api api = service.api();

  @Test
  void POST_creates_a_product_that_GET_reads_back() {
    Api.Response created = api.post("/products", "{\"name\":\"Boots\",\"stock\":3}");
    assertEquals(201, created.status(), created.toString());
    long id = created.json().get("id").asLong();

    Api.Response read = api.get("/products/" + id);
    assertEquals(200, read.status());
    assertEquals("Boots", read.json().get("name").asText());
    assertEquals(3, read.json().get("stock").asInt());
    assertEquals(0, read.json().get("restockRound").asInt());
  }

  @Test
  void PUT_stock_sets_it_and_purchase_takes_from_it() {
    long id = api.createProduct("Hat", 0);
    assertEquals(7, api.put("/products/" + id + "/stock", "{\"stock\":7}").json().get("stock").asInt());

    Api.Response bought = api.post("/products/" + id + "/purchases", "{\"quantity\":5}");
    assertEquals(200, bought.status());
    assertEquals(2, bought.json().get("stock").asInt());

    Api.Response tooMany = api.post("/products/" + id + "/purchases", "{\"quantity\":3}");
    assertEquals(409, tooMany.status());
    assertEquals("INSUFFICIENT_STOCK", tooMany.json().get("error").asText());
    assertEquals(2, api.get("/products/" + id).json().get("stock").asInt());
  }

  @Test
  void fifty_concurrent_purchases_of_one_sell_exactly_the_ten_in_stock() throws Exception {
    long id = api.createProduct("Limited", 10);
    List<Integer> statuses = Concurrently.run(50,
        () -> api.post("/products/" + id + "/purchases", "{\"quantity\":1}").status());

    assertEquals(10, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    assertEquals(40, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
    assertEquals(0, api.get("/products/" + id).json().get("stock").asInt());
    assertCopyAgrees(id, 0);
  }

  /** Purchases do not take turns to copy the stock to Redis; the copy still ends where MySQL does. */
  @Test
  void purchases_racing_stock_settings_leave_the_redis_copy_equal_to_the_row() throws Exception {
    long id = api.createProduct("Raced", 1_000);
    AtomicInteger turn = new AtomicInteger();
    List<Integer> statuses = Concurrently.run(64, () -> turn.getAndIncrement() % 8 == 0
        ? api.put("/products/" + id + "/stock", "{\"stock\":" + (500 + turn.get()) + "}").status()
        : api.post("/products/" + id + "/purchases", "{\"quantity\":3}").status());

    assertEquals(List.of(200), statuses.stream().distinct().toList());
    assertCopyAgrees(id, api.get("/products/" + id).json().get("stock").asInt());
  }

  private static void assertCopyAgrees(long productId, int stock) {
    try (RedisClient redis = TestServices.get().redis()) {
      assertEquals(Integer.toString(stock), redis.get(RedisKeys.stock(productId)));
      assertEquals(0, redis.hlen(RedisKeys.stockTickets(productId)), "tickets left behind");
    }
  }
}
