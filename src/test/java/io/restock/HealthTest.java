package io.restock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restock.support.Api;
import io.restock.support.RunningApp;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthTest {
  @Test
  void health_is_200_when_mysql_and_redis_answer() throws Exception {
    try (RunningApp app = RunningApp.start(Map.of())) {
      Api.Response health = app.api().get("/health");
      assertEquals(200, health.status());
      assertEquals("UP", health.json().get("mysql").asText());
      assertEquals("UP", health.json().get("redis").asText());
    }
  }

  @Test
  void health_is_503_and_names_redis_when_redis_does_not_answer() throws Exception {
    // Nothing listens on port 1 of loopback: this instance's Redis is "down" from the start.
    try (RunningApp app = RunningApp.start(Map.of("REDIS_URL", "redis://127.0.0.1:1/9"))) {
      Api.Response health = app.api().get("/health");
      assertEquals(503, health.status());
      assertEquals("UP", health.json().get("mysql").asText());
      assertEquals("DOWN", health.json().get("redis").asText());

      Api.Response restock = app.api().post("/products", "{\"name\":\"x\",\"stock\":1}");
      assertEquals(503, restock.status(), restock.toString());
      assertEquals("UNAVAILABLE", restock.json().get("error").asText());
    }
  }
}
