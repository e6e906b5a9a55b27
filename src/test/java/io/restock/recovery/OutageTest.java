package io.restock.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restock.support.Api;
import io.restock.support.LocalServers;
import io.restock.support.RunningApp;
import io.restock.support.WebhookReceiver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real local Redis or MariaDB goes away in the middle of a round and comes back: the API says
 * 503 meanwhile, no thread dies, and the round finishes by itself with everyone told once.
 */
class OutageTest {
  private static final int SUBSCRIBERS = 3_000;

  @BeforeEach
  void onlyAgainstTheLocalServers() {
    assumeTrue(LocalServers.inUse(), "stops and starts this machine's own servers");
  }

  @Test
  void while_redis_is_down_triggers_get_503_and_afterwards_every_round_carries_on() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver();
        RunningApp app = RunningApp.start(Map.of("NOTIFIER_WEBHOOK_URL", receiver.url()))) {
      Api api = app.api();
      long productId = CrashRecoveryTest.startRound(api);
      long later = api.createProduct("Later", 3);
      api.subscribeRange(later, 1, 50);
      CrashRecoveryTest.awaitDeliveries(receiver, productId, 300);

      LocalServers.stopRedis();
      try {
        Api.Response health = api.get("/health");
        assertEquals(503, health.status());
        assertEquals("DOWN", health.json().get("redis").asText());
        assertEquals("UP", health.json().get("mysql").asText());
        Api.Response trigger = api.post("/products/" + later + "/notifications/re-stock", null);
        assertEquals(503, trigger.status(), trigger.toString());
        assertEquals("UNAVAILABLE", trigger.json().get("error").asText());
      } finally {
        LocalServers.startRedis(); // empty: this machine's Redis keeps nothing on disk
      }

      assertEquals("COMPLETED", api.awaitRoundEnd(productId, Duration.ofSeconds(60)).get("status").asText());
      CrashRecoveryTest.assertEveryoneToldOnce(receiver, productId);
      assertEquals(202, api.post("/products/" + later + "/notifications/re-stock", null).status());
      assertEquals("COMPLETED", api.awaitRoundEnd(later, Duration.ofSeconds(30)).get("status").asText());
      assertEquals(new RoundHistory(50, 50), RoundHistory.of(later, 1));
      assertEquals(200, api.get("/health").status());
    }
  }

  @Test
  void while_mysql_is_down_the_api_answers_503_and_the_round_resumes_by_itself() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver();
        RunningApp app = RunningApp.start(Map.of("NOTIFIER_WEBHOOK_URL", receiver.url()))) {
      Api api = app.api();
      long productId = CrashRecoveryTest.startRound(api);
      CrashRecoveryTest.awaitDeliveries(receiver, productId, 300);

      LocalServers.stopMariaDb();
      try {
        Api.Response read = api.get("/products/" + productId);
        assertEquals(503, read.status(), read.toString());
        assertEquals("UNAVAILABLE", read.json().get("error").asText());
        Api.Response health = api.get("/health");
        assertEquals(503, health.status());
        assertEquals("DOWN", health.json().get("mysql").asText());
      } finally {
        LocalServers.startMariaDb();
      }

      assertEquals("COMPLETED", api.awaitRoundEnd(productId, Duration.ofSeconds(60)).get("status").asText());
      CrashRecoveryTest.assertEveryoneToldOnce(receiver, productId);
      assertEquals(200, api.get("/health").status());
    }
  }
}
