package io.restock.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.delivery.Notification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up values: numbers the service multiplies into thread and pool sizes, the listening
 * address and tokens, the webhook's secrets and message template, the forms of REDIS_URL. A bad
 * one stops the service at start.
 */
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

  @Test
  void a_malformed_webhook_secret_stops_the_start() {
    assertRefusedWithout("NOTIFIER_WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8IL", "MfKQ9r8GKYqrTwjUPD8IL");
  }

  @Test
  void webhook_secrets_are_read_and_blank_means_unsigned() {
    Config config = Config.fromEnv(Map.of("NOTIFIER_WEBHOOK_SECRET",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    assertEquals(2, config.notifierWebhookSigner().orElseThrow().secrets());
    assertTrue(Config.fromEnv(Map.of("NOTIFIER_WEBHOOK_SECRET", " ")).notifierWebhookSigner().isEmpty());
  }

  @Test
  void the_message_template_is_read_and_blank_means_the_default() {
    Notification boot = new Notification(1, "Boot", 7, 1, 0, "run");
    assertEquals("Boot: back for user 7", Config.fromEnv(Map.of("NOTIFIER_MESSAGE_TEMPLATE",
        "{productName}: back for user {userId}")).notifierMessageTemplate().render(boot));
    assertEquals("Boot is back in stock", Config.fromEnv(Map.of("NOTIFIER_MESSAGE_TEMPLATE", ""))
        .notifierMessageTemplate().render(boot));
  }

  @Test
  void an_unknown_placeholder_in_the_message_template_stops_the_start() {
    String refused = refusal(Map.of("NOTIFIER_MESSAGE_TEMPLATE", "{name} is back"));
    assertTrue(refused.contains("{name}"), refused);
  }

  @Test
  void redis_urls_may_ask_for_tls_and_carry_an_acl_user() {
    Config tls = Config.fromEnv(Map.of("REDIS_URL", "rediss://alice:p%40ss%3Aword@redis.example:6380/3"));
    assertTrue(tls.redisTls());
    assertEquals(3, tls.redisDatabase());
    assertFalse(Config.fromEnv(Map.of("REDIS_URL", "redis://:secret@localhost:6379")).redisTls());
  }

  @Test
  void a_redis_url_with_a_user_but_no_password_is_refused() {
    String refused = refusal(Map.of("REDIS_URL", "redis://alice@localhost:6379"));
    assertTrue(refused.contains("no password"), refused);
  }

  @Test
  void a_redis_url_that_does_not_parse_is_refused_without_echoing_its_password() {
    assertRefusedWithout("REDIS_URL", "redis://alice:pa ss@localhost:6379", "pa ss");
  }

  @Test
  void a_tls_ca_file_is_refused_unless_it_holds_certificates(@TempDir Path dir) throws IOException {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
    String garbage = refusal(Map.of("REDIS_URL", "rediss://localhost:6380",
        "REDIS_TLS_CA_FILE", notPem.toString()));
    assertTrue(garbage.startsWith("REDIS_TLS_CA_FILE"), garbage);

    String missing = refusal(Map.of("REDIS_URL", "rediss://localhost:6380",
        "REDIS_TLS_CA_FILE", dir.resolve("absent.pem").toString()));
    assertTrue(missing.contains("cannot be read"), missing);
  }

  /** {@code name=value} is refused with a message that names the setting and not {@code secret}. */
  private static void assertRefusedWithout(String name, String value, String secret) {
    String refused = refusal(Map.of(name, value));
    assertTrue(refused.startsWith(name), refused);
    assertFalse(refused.contains(secret), "the message shows the secret: " + refused);
  }

  /** The message a configuration is refused with at start. */
  private static String refusal(Map<String, String> env) {
    return assertThrows(IllegalArgumentException.class, () -> Config.fromEnv(env)).getMessage();
  }
}
