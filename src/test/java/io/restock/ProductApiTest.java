package io.restock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restock.support.Api;
import io.restock.support.Concurrently;
import io.restock.support.ServiceExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
  }
}
