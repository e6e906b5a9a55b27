package io.restock.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.support.Api;
import io.restock.support.Poll;
import io.restock.support.RunningApp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With one consumer thread, a small round triggered after a big one still finishes first. */
class FairShareTest {
  @Test
  void a_small_round_is_not_stuck_behind_a_big_one() throws Exception {
    try (RunningApp app = RunningApp.start(Map.of("WORKER_THREADS", "1", "NOTIFY_RATE_PER_SEC", "2000"))) {
      Api api = app.api();
      long big = api.createProduct("Big", 1);
      long small = api.createProduct("Small", 1);
      api.subscribeRange(big, 1, 20_000);
      api.subscribeRange(small, 1, 100);

      api.post("/products/" + big + "/notifications/re-stock", null);
      Poll.until(Duration.ofSeconds(10), "the big round to be sending",
          () -> api.latestRound(big).get("notifiedCount").asInt() > 0);
      api.post("/products/" + small + "/notifications/re-stock", null);

      JsonNode smallRound = api.awaitRoundEnd(small, Duration.ofSeconds(30));
      JsonNode bigRound = api.awaitRoundEnd(big, Duration.ofSeconds(60));
      assertEquals("COMPLETED", smallRound.get("status").asText());
      assertEquals("COMPLETED", bigRound.get("status").asText());
      assertEquals(20_000, bigRound.get("notifiedCount").asInt());
      assertTrue(Instant.parse(smallRound.get("finishedAt").asText())
              .isBefore(Instant.parse(bigRound.get("finishedAt").asText())),
          "the small round waited for the big one: " + smallRound + " " + bigRound);
    }
  }
}
