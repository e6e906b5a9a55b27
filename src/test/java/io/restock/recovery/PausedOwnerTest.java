package io.restock.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.support.ChildService;
import io.restock.support.Poll;
import io.restock.support.RunningApp;
import io.restock.support.TestServices;
import io.restock.support.WebhookReceiver;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * An owner frozen (SIGSTOP) past its lease while another instance takes its round over and
 * finishes it, then thawed (SIGCONT): it must write nothing, to MySQL or Redis, nor send anyone.
 */
class PausedOwnerTest {
  /** The line a run logs when it ends, however it ends. */
  private static final Pattern RUN_ENDED = Pattern.compile(
      "Round \\d+/1 (COMPLETED|CANCELED_BY_\\w+|handed back|was taken over)");

  @Test
  void an_owner_paused_past_its_lease_writes_nothing_when_it_wakes() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      TestServices.get().clean();
      Map<String, String> config = Map.of("NOTIFIER_WEBHOOK_URL", receiver.url(),
          "NOTIFY_RATE_PER_SEC", "500", "WORKER_THREADS", "1", "NOTIFIER_CONCURRENCY", "16");
      try (ChildService frozen = ChildService.start("paused", config)) {
        long productId = CrashRecoveryTest.startRound(frozen.api());
        CrashRecoveryTest.awaitDeliveries(receiver, productId, 300);
        try (RunningApp survivor = RunningApp.startAnother(config)) {
          frozen.pause();
          // Frozen in the middle of a MySQL transaction, the owner holds row locks the survivor needs
          // until the server drops its idle session: a slow take-over, but never a wrong one.
          JsonNode finished = survivor.api().awaitRoundEnd(productId, Duration.ofSeconds(150));
          assertEquals("COMPLETED", finished.get("status").asText(), finished.toString());

          frozen.resume();
          Poll.until(Duration.ofSeconds(30), "the thawed run to end",
              () -> runEnds(frozen.log()) > 0);
          // It may still be finishing the requests it had under way; they all end within the
          // request deadline, and none may be recorded over the survivor's record.
          Poll.until(Duration.ofSeconds(15), "the thawed instance to answer",
              () -> frozen.api().get("/health").status() == 200);

          JsonNode after = survivor.api().latestRound(productId);
          assertEquals(finished, after, "the thawed run rewrote the round's record");
          RoundHistory.assertRecordAgrees(productId, after);
          CrashRecoveryTest.assertNobodyToldTwice(receiver, productId);
          try (RedisClient redis = TestServices.get().redis()) {
            assertEquals(Set.of(), redis.keys("restock:*:" + productId + ":1"),
                "a round's working keys were left or written again after it ended");
          }
        }
      }
    }
  }

  private static int runEnds(String log) {
    Matcher m = RUN_ENDED.matcher(log);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
