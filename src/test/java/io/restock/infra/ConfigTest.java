package io.restock.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up settings the service cannot run safely with, refused before anything starts. */
class ConfigTest {
  private static final String SHOP = "shop-token-0123456789abcdef";
  private static final String ADMIN = "admin-token-0123456789abcdef";

  @Test
  void sender_threads_past_the_cap_are_refused_before_their_product_wraps() {
    // 100000 x 100000 wraps an int to 1410065408: a positive, plausible-looking thread count.
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnv(Map.of("NOTIFIER_CONCURRENCY", "100000", "WORKER_THREADS", "100000")));
    assertTrue(refused.getMessage().contains("NOTIFIER_CONCURRENCY"), refused.getMessage());

    assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnv(Map.of("WORKER_THREADS", Integer.toString(Integer.MAX_VALUE))));
  }

  @Test
  void sender_threads_up_to_the_cap_are_taken() {
    Config config = Config.fromEnv(Map.of("NOTIFIER_CONCURRENCY", "100", "WORKER_THREADS", "100"));
    assertEquals(100, config.notifierConcurrency());
    assertEquals(100, config.workerThreads());
  }

  @Test
  void without_a_token_the_service_listens_on_loopback_and_with_one_on_every_interface() {
    assertEquals("127.0.0.1", Config.fromEnv(Map.of()).bindAddress());
    assertEquals("0.0.0.0", Config.fromEnv(Map.of("SHOP_TOKEN", SHOP)).bindAddress());
    assertEquals("0.0.0.0", Config.fromEnv(Map.of("ADMIN_TOKEN", ADMIN)).bindAddress());
    assertEquals("::1", Config.fromEnv(Map.of("BIND_ADDRESS", "::1")).bindAddress());
  }

  @Test
  void another_interface_without_a_token_is_refused_with_a_reason() {
    for (String address : new String[] {"0.0.0.0", "::", "192.0.2.10"}) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> Config.fromEnv(Map.of("BIND_ADDRESS", address)));
      assertTrue(refused.getMessage().contains("BIND_ADDRESS " + address)
          && refused.getMessage().contains("SHOP_TOKEN"), refused.getMessage());
    }
    assertEquals("192.0.2.10",
        Config.fromEnv(Map.of("BIND_ADDRESS", "192.0.2.10", "ADMIN_TOKEN", ADMIN)).bindAddress());
  }

  @Test
  void tokens_print_as_stars_and_are_refused_without_their_value_in_the_reason() {
    String printed = Config.fromEnv(Map.of("SHOP_TOKEN", SHOP, "ADMIN_TOKEN", ADMIN)).toString();
    assertTrue(printed.contains("shopToken=Optional[***]"), printed);
    assertFalse(printed.contains(SHOP) || printed.contains(ADMIN), printed);

    for (String weak : new String[] {"short", "has a space in it, sixteen+", "ünïcödé-0123456789"}) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> Config.fromEnv(Map.of("SHOP_TOKEN", weak)));
      assertTrue(refused.getMessage().startsWith("SHOP_TOKEN must"), refused.getMessage());
      assertFalse(refused.getMessage().contains(weak), refused.getMessage());
    }
  }

  @Test
  void the_same_token_for_the_shop_and_the_operators_is_refused() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnv(Map.of("SHOP_TOKEN", SHOP, "ADMIN_TOKEN", SHOP)));
    assertTrue(refused.getMessage().contains("must differ"), refused.getMessage());
  }
}
