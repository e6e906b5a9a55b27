package io.restock.access;

import static io.restock.access.AccessTest.ADMIN_TOKEN;
import static io.restock.access.AccessTest.SHOP_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.support.Api;
import io.restock.support.ChildService;
import io.restock.support.ListeningSockets;
import io.restock.support.Ports;
import io.restock.support.TestServices;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Secure by default (SPEC rule 12), as an operator starts the service: with no token it listens on
 * loopback only and says so; it refuses to serve another interface without one; with the tokens
 * it serves every interface, its log never shows them, and it checks them without the database.
 */
class AccessAtStartTest {
  private static final Map<String, String> TOKENS =
      Map.of("SHOP_TOKEN", SHOP_TOKEN, "ADMIN_TOKEN", ADMIN_TOKEN);

  @Test
  void without_a_token_it_listens_on_loopback_only_and_says_so() throws Exception {
    try (ChildService service = ChildService.start("no-token", Map.of())) {
      assertEquals(Set.of("127.0.0.1"), ListeningSockets.addressesOn(service.port()),
          "listening beyond loopback without a token");
      List<String> said = service.log().lines()
          .filter(line -> line.contains("Authentication is off")).toList();
      assertEquals(1, said.size(), service.log());
      assertTrue(said.get(0).contains("loopback only (127.0.0.1)"), said.get(0));
    }
  }

  @Test
  void with_the_tokens_it_listens_on_every_interface_and_its_log_never_shows_them()
      throws Exception {
    try (ChildService service = ChildService.start("with-tokens", TOKENS)) {
      Set<String> bound = ListeningSockets.addressesOn(service.port());
      assertTrue(!bound.isEmpty() && Set.of("0.0.0.0", "::").containsAll(bound),
          "not listening on every interface: " + bound);
      Api api = service.api();
      assertEquals(401, api.withToken("not-the-token-0123456789").get("/metrics").status());
      assertEquals(403, api.withToken(SHOP_TOKEN).get("/metrics").status());
      assertEquals(201, api.withToken(SHOP_TOKEN).post("/products", "{\"name\":\"x\",\"stock\":1}")
          .status());
      assertEquals(200, api.withToken(ADMIN_TOKEN).get("/metrics").status());
      String log = service.log();
      assertTrue(log.contains("Bearer tokens required"), log);
      assertFalse(log.contains(SHOP_TOKEN) || log.contains(ADMIN_TOKEN), log);
    }
  }

  @Test
  void another_interface_without_a_token_stops_it_at_start_with_the_reason() throws Exception {
    try (ChildService service =
        ChildService.launch("bind-without-token", Map.of("BIND_ADDRESS", "0.0.0.0"))) {
      assertEquals(2, service.awaitExit(Duration.ofSeconds(30)), service.log());
      assertTrue(service.log().contains("BIND_ADDRESS 0.0.0.0 is not a loopback address"),
          service.log());
    }
  }

  @Test
  void tokens_are_checked_before_the_database_is_needed() throws Exception {
    String noMySql = TestServices.get().jdbcUrlAt("127.0.0.1:" + Ports.free());
    Map<String, String> config = new java.util.HashMap<>(TOKENS);
    config.put("DB_URL", noMySql);
    config.put("BIND_ADDRESS", "127.0.0.1");
    try (ChildService service = ChildService.launch("tokens-without-mysql", config)) {
      service.awaitHealth(503);
      Api.Response refused = service.api().put("/products/1/stock", "{\"stock\":1}");
      assertEquals(401, refused.status(), refused.toString());
      Api.Response waited = service.api().withToken(SHOP_TOKEN).put("/products/1/stock", "{\"stock\":1}");
      assertEquals(503, waited.status(), waited.toString());
    }
  }
}
