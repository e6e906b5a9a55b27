package io.restock.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.support.Api;
import io.restock.support.ChildService;
import io.restock.support.Poll;
import io.restock.support.Ports;
import io.restock.support.TcpRelay;
import io.restock.support.TestServices;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service started while MySQL or Redis cannot be reached (nothing listens at its address
 * yet), as after a reboot where the service comes up first: it answers 503 naming what is
 * missing, keeps trying, and once the server appears at that address it serves and sends.
 */
class StartWithoutDependenciesTest {
  private static final int SUBSCRIBERS = 200;

  @BeforeEach
  void clean() {
    TestServices.get().clean();
  }

  @Test
  void started_before_mysql_it_waits_for_it_then_migrates_serves_and_sends() throws Exception {
    int port = Ports.free();
    try (ChildService service = ChildService.launch("mysql-later",
        Map.of("DB_URL", TestServices.get().jdbcUrlAt("127.0.0.1:" + port)))) {
      assertDown(service, "mysql");
      Poll.until(Duration.ofSeconds(30), "a second attempt to reach MySQL in the log",
          () -> count(service.log(), "WARN", "MySQL is not reachable") >= 2);
      assertDown(service, "mysql");

      try (TcpRelay mysql = TcpRelay.open(port, TestServices.get().mysqlAddress())) {
        long appeared = System.nanoTime();
        service.awaitHealth(200);
        System.out.printf("MySQL appeared: /health 200 %d ms later%n",
            (System.nanoTime() - appeared) / 1_000_000);
        assertARoundCompletes(service.api());
      }
      assertEquals(0, count(service.log(), "\tat "), "stack traces in the log:\n" + service.log());
    }
  }

  @Test
  void started_before_redis_it_waits_for_it_then_serves_and_sends() throws Exception {
    int port = Ports.free();
    try (ChildService service = ChildService.launch("redis-later",
        Map.of("REDIS_URL", TestServices.get().redisUrlAt("127.0.0.1:" + port)))) {
      assertDown(service, "redis");

      try (TcpRelay redis = TcpRelay.open(port, TestServices.get().redisAddress())) {
        service.awaitHealth(200);
        assertARoundCompletes(service.api());
      }
      assertEquals(0, count(service.log(), "\tat "), "stack traces in the log:\n" + service.log());
    }
  }

  @Test
  void a_schema_that_cannot_be_migrated_on_a_mysql_that_answers_stops_the_service() throws Exception {
    // Tables but no migration history: Flyway refuses such a database, and will every time.
    String database = TestServices.get().siblingDatabase("not_ours");
    try (Connection c = TestServices.get().connect(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS " + database);
      s.execute("CREATE TABLE IF NOT EXISTS " + database + ".someone_elses (id INT PRIMARY KEY)");
    }
    try (ChildService service = ChildService.launch("not-migratable",
        Map.of("DB_URL", TestServices.get().jdbcUrlOf(database)))) {
      assertEquals(1, service.awaitExit(Duration.ofSeconds(30)), service.log());
      assertEquals(1, count(service.log(), "ERROR", "Could not migrate the database schema"),
          service.log());
    } finally {
      try (Connection c = TestServices.get().connect(); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE " + database);
      }
    }
  }

  /**
   * /health is 503 naming {@code down} once the other one is up (MySQL counts as up once the
   * schema is migrated, a moment after start), and a write is a 503 JSON error.
   */
  private static void assertDown(ChildService service, String down) {
    String other = down.equals("mysql") ? "redis" : "mysql";
    JsonNode health = Poll.until(Duration.ofSeconds(30), other + " up on /health",
        () -> service.awaitHealth(503).json(), h -> "UP".equals(h.path(other).asText()));
    assertEquals("DOWN", health.path(down).asText(), health.toString());
    Api.Response create = service.api().post("/products", "{\"name\":\"Too early\",\"stock\":1}");
    assertEquals(503, create.status(), create.toString());
    assertEquals("UNAVAILABLE", create.json().get("error").asText(), create.toString());
  }

  private static void assertARoundCompletes(Api api) {
    long productId = api.createProduct("Back at last", 0);
    api.subscribeRange(productId, 1, SUBSCRIBERS);
    Api.Response started = api.post("/products/" + productId + "/notifications/re-stock",
        "{\"quantity\":5}");
    assertEquals(202, started.status(), started.toString());
    JsonNode round = api.awaitRoundEnd(productId, Duration.ofSeconds(30));
    assertEquals("COMPLETED", round.get("status").asText(), round.toString());
    assertEquals(SUBSCRIBERS, round.get("notifiedCount").asInt(), round.toString());
    assertEquals(new RoundHistory(SUBSCRIBERS, SUBSCRIBERS), RoundHistory.of(productId, 1));
  }

  /** Lines of {@code log} that contain every one of {@code parts}. */
  private static long count(String log, String... parts) {
    return log.lines().filter(line -> {
      for (String part : parts) {
        if (!line.contains(part)) {
          return false;
        }
      }
      return true;
    }).count();
  }
}
