package io.restock.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.support.ChildService;
import io.restock.support.Poll;
import io.restock.support.TestServices;
import io.restock.support.ThrowawayRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Redis that may evict keys (any maxmemory-policy but noeviction) could drop a lease, a sent log
 * or the job stream under memory pressure: the service says so at start, in one WARN line, and
 * serves anyway (an operator may not be able to change it at once, and nothing is lost yet).
 */
class EvictionPolicyWarningTest {
  @Test
  void a_redis_that_may_evict_keys_is_named_in_a_warning_and_the_service_still_serves()
      throws Exception {
    String warning = startAndAwaitWarning("evicting-redis", "--maxmemory-policy", "allkeys-lru");
    assertTrue(warning.contains("allkeys-lru") && warning.contains("noeviction"), warning);
  }

  @Test
  void a_redis_that_hides_its_config_gets_a_warning_too_and_the_service_still_serves()
      throws Exception {
    String warning = startAndAwaitWarning("config-hidden-redis", "--rename-command", "CONFIG", "");
    assertTrue(warning.contains("Could not read"), warning);
  }

  /** Starts the service against a throwaway Redis; its one warning about the policy. */
  private static String startAndAwaitWarning(String name, String... redisOptions) throws Exception {
    TestServices.get().clean();
    Path log = Path.of("target/child-" + name + ".log");
    try (ThrowawayRedis redis = ThrowawayRedis.start(redisOptions);
        ChildService service = ChildService.start(name, Map.of("REDIS_URL", redis.url()))) {
      List<String> warnings = Poll.until(Duration.ofSeconds(10), "the policy warning in " + log,
          () -> linesOf(log).stream().filter(line -> line.contains("WARN")
              && line.contains("maxmemory-policy")).toList(),
          found -> !found.isEmpty());
      assertEquals(1, warnings.size(), warnings.toString());
      assertEquals(201, service.api().post("/products", "{\"name\":\"x\",\"stock\":1}").status());
      return warnings.get(0);
    }
  }

  private static List<String> linesOf(Path log) {
    try {
      return Files.readAllLines(log);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
