package io.restock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restock.support.Api;
import io.restock.support.RunningApp;
import io.restock.support.TestServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProductApiTest {
  static RunningApp app;
  static Api api;

  @BeforeAll
  static void start() {
    app = RunningApp.start(Map.of());
    api = app.api();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    app.close();
  }

  @BeforeEach
  void clean() {
    TestServices.get().clean();
  }

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
    ExecutorService pool = Executors.newFixedThreadPool(50);
    List<Callable<Integer>> buyers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      buyers.add(() -> api.post("/products/" + id + "/purchases", "{\"quantity\":1}").status());
    }
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> f : pool.invokeAll(buyers)) {
      statuses.add(f.get());
    }
    pool.shutdown();

    assertEquals(10, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    assertEquals(40, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
    assertEquals(0, api.get("/products/" + id).json().get("stock").asInt());
  }
}
