package io.restock.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.support.Api;
import io.restock.support.RunningApp;
import io.restock.support.TestCertificates;
import io.restock.support.ThrowawayRedis;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Redis as production runs it: TLS (rediss://) with a private CA, and an ACL user
 * (user:password@) on a server whose default user is off. Each on a throwaway redis-server of
 * the test's own; a round runs through the whole service on it.
 */
class ProductionRedisTest {
  /** Characters a URL must escape: the service must decode them. */
  static final String PASSWORD = "p@ss:w/rd";
  static final String ESCAPED_PASSWORD = "p%40ss%3Aw%2Frd";

  @TempDir static Path dir;
  static TestCertificates certificates;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certificates = TestCertificates.generate(dir);
  }

  @Test
  void a_round_runs_over_tls_to_a_redis_whose_certificate_the_ca_file_vouches_for() throws Exception {
    try (ThrowawayRedis redis = ThrowawayRedis.startTls(certificates);
        RunningApp app = RunningApp.start(Map.of("REDIS_URL", redis.url(),
            "REDIS_TLS_CA_FILE", certificates.authority().toString()))) {
      assertRoundCompletes(app.api());
    }
  }

  @Test
  void a_tls_redis_is_refused_when_its_certificate_is_not_trusted_or_names_another_host()
      throws Exception {
    try (ThrowawayRedis redis = ThrowawayRedis.startTls(certificates)) {
      // Without the CA file the JVM's default trust store applies, which does not know our CA.
      Throwable untrusted = refusal(Map.of("REDIS_URL", redis.url()));
      assertTrue(causes(untrusted).stream().anyMatch(SSLHandshakeException.class::isInstance),
          Arrays.toString(causes(untrusted).toArray()));

      String asLocalhost = redis.url().replace("127.0.0.1", "localhost");
      Throwable otherName = refusal(Map.of("REDIS_URL", asLocalhost,
          "REDIS_TLS_CA_FILE", certificates.authority().toString()));
      assertTrue(causes(otherName).stream().anyMatch(c -> c instanceof CertificateException
          && c.getMessage().contains("localhost")), Arrays.toString(causes(otherName).toArray()));
    }
  }

  @Test
  void a_ca_file_without_tls_in_the_url_is_refused_at_start() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnv(Map.of("REDIS_URL", "redis://127.0.0.1:6379",
            "REDIS_TLS_CA_FILE", certificates.authority().toString())));
    assertTrue(refused.getMessage().contains("not rediss://"), refused.getMessage());
  }

  @Test
  void a_round_runs_as_an_acl_user_whose_password_the_url_escapes() throws Exception {
    try (ThrowawayRedis redis = ThrowawayRedis.start(); Jedis admin = redis.admin()) {
      admin.aclSetUser("restock", "on", ">" + PASSWORD, "~*", "&*", "+@all");
      admin.aclSetUser("default", "off"); // this connection stays in; nobody new gets in without a user
      String url = redis.url().replace("redis://", "redis://restock:" + ESCAPED_PASSWORD + "@");
      try (RunningApp app = RunningApp.start(Map.of("REDIS_URL", url))) {
        assertRoundCompletes(app.api());
        List<String> services = Arrays.stream(admin.clientList().split("\n"))
            .filter(client -> client.contains(" name=restock-")).toList();
        assertFalse(services.isEmpty(), admin.clientList());
        services.forEach(client -> assertTrue(client.contains(" user=restock "), client));
      }
      refusal(Map.of("REDIS_URL", url.replace(ESCAPED_PASSWORD, "wrong")));
    }
  }

  private static void assertRoundCompletes(Api api) {
    assertEquals(200, api.get("/health").status(), api.get("/health").toString());
    long productId = api.createProduct("Boot", 5);
    api.subscribeRange(productId, 1, 20);
    assertEquals(202, api.post("/products/" + productId + "/notifications/re-stock", null).status());
    JsonNode round = api.awaitRoundEnd(productId, Duration.ofSeconds(30));
    assertEquals("COMPLETED", round.get("status").asText(), round.toString());
    assertEquals(20, round.get("notifiedCount").asInt());
  }

  /** What the service's own Redis client gets when it connects with {@code env}. */
  private static Throwable refusal(Map<String, String> env) {
    try (RedisClient client = Redis.connect(Config.fromEnv(env), "restock-probe", 1)) {
      return assertThrows(JedisException.class, client::ping);
    }
  }

  private static List<Throwable> causes(Throwable thrown) {
    List<Throwable> chain = new java.util.ArrayList<>();
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
