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
    TestServices.get().clean();
    Path log = Path.of("target/child-evicting-redis.log");
    try (ThrowawayRedis redis = ThrowawayRedis.start("--maxmemory-policy", "allkeys-lru");
        ChildService service = ChildService.start("evicting-redis", Map.of("REDIS_URL", redis.url()))) {
      List<String> warnings = Poll.until(Duration.ofSeconds(10), "the eviction warning in " + log,
          () -> linesOf(log).stream().filter(line -> line.contains("WARN")
              && line.contains("maxmemory-policy")).toList(),
          found -> !found.isEmpty());

      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains("allkeys-lru") && warnings.get(0).contains("noeviction"),
          warnings.get(0));
      assertEquals(201, service.api().post("/products", "{\"name\":\"x\",\"stock\":1}").status());
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
