package io.restock.waves;

import static io.restock.waves.WavesTest.accepted;
import static io.restock.waves.WavesTest.range;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.support.Api;
import io.restock.support.ChildService;
import io.restock.support.Poll;
import io.restock.support.RunningApp;
import io.restock.support.TestServices;
import io.restock.support.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The wait between waves is a time in MySQL, held by no process: a restart of the only instance,
 * or a kill -9 of the instance that sent the first wave, changes only who sends the next one.
 */
class WaveWaitRecoveryTest {
  private static Map<String, String> config(WebhookReceiver receiver) {
    return Map.of("NOTIFIER_WEBHOOK_URL", receiver.url());
  }

  @Test
  void the_next_wave_comes_from_the_survivor_after_a_kill_9_during_the_wait() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      TestServices.get().clean();
      long productId;
      try (ChildService doomed = ChildService.start("killed-waiting", config(receiver))) {
        productId = startWavedRound(doomed.api());
        Instant due = awaitWaiting(doomed.api(), productId, 1);
        try (RunningApp survivor = RunningApp.startAnother(config(receiver))) {
          doomed.kill();
          awaitWaiting(survivor.api(), productId, 2);
          System.out.printf("kill -9 during the wait: the next wave's round record came %d ms"
              + " after its time%n", Duration.between(due, Instant.now()).toMillis());
          assertEquals(range(1, 20), survivor.api().notifiedUsers(productId, 1));
        }
      }
      assertEquals(range(1, 20), accepted(receiver, productId), "nobody twice, nobody skipped");
    }
  }

  @Test
  void the_next_wave_comes_after_a_restart_of_the_only_instance() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      TestServices.get().clean();
      long productId;
      try (RunningApp only = RunningApp.start(config(receiver))) {
        productId = startWavedRound(only.api());
        awaitWaiting(only.api(), productId, 1);
      }
      try (RunningApp restarted = RunningApp.startAnother(config(receiver))) {
        awaitWaiting(restarted.api(), productId, 2);
        assertEquals(range(1, 20), restarted.api().notifiedUsers(productId, 1));
      }
      assertEquals(range(1, 20), accepted(receiver, productId), "nobody twice, nobody skipped");
    }
  }

  /** 50 subscribers, stock 5, two per unit: waves of 10, 3 s apart. */
  private static long startWavedRound(Api api) {
    long productId = api.createProduct("Heater", 0);
    api.subscribeRange(productId, 1, 50);
    assertEquals(200, api.put("/products/" + productId + "/notification-policy",
        "{\"perUnit\":2,\"waveIntervalSeconds\":3}").status());
    assertEquals(202, api.post("/products/" + productId + "/notifications/re-stock",
        "{\"quantity\":5}").status());
    return productId;
  }

  /** When the next wave is due, once the round waits with this many waves sent. */
  private static Instant awaitWaiting(Api api, long productId, int wavesSent) {
    JsonNode round = Poll.until(Duration.ofSeconds(30), wavesSent + " waves sent, waiting",
        () -> api.latestRound(productId),
        r -> r.get("wavesSent").asInt() == wavesSent && !r.get("nextWaveAt").isNull());
    return Instant.parse(round.get("nextWaveAt").asText());
  }
}
