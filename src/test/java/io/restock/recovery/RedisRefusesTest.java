package io.restock.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.support.Api;
import io.restock.support.Poll;
import io.restock.support.RunningApp;
import io.restock.support.ThrowawayRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Redis up but refusing for a while — out of memory, a read-only replica during a failover,
 * loading its data after a restart — on a throwaway redis-server the service is pointed at: the
 * API answers 503 UNAVAILABLE (not a 500), and a running round pauses and completes (it is not
 * cancelled). Never caused on the shared Redis, whose memory limit every checkout shares.
 */
class RedisRefusesTest {
  private static final int SUBSCRIBERS = 3_000;

  @Test
  void out_of_memory_answers_503_and_a_running_round_pauses_then_completes() throws Exception {
    try (ThrowawayRedis redis = ThrowawayRedis.start("--maxmemory-policy", "noeviction");
        RunningApp app = RunningApp.start(Map.of("REDIS_URL", redis.url()));
        Jedis admin = redis.admin()) {
      Api api = app.api();
      long productId = api.createProduct("Scarce memory", 5);
      api.subscribeRange(productId, 1, SUBSCRIBERS);
      assertEquals(202, api.post("/products/" + productId + "/notifications/re-stock", null).status());
      Poll.until(Duration.ofSeconds(10), "the round to be under way",
          () -> api.latestRound(productId).get("notifiedCount").asInt() > 0);

      admin.configSet("maxmemory", "1");
      try {
        assertEquals("IN_PROGRESS", api.latestRound(productId).get("status").asText(),
            "the round ended before Redis ran out of memory; the test proves nothing");
        assertUnavailable(api.put("/products/" + productId + "/stock", "{\"stock\":7}"), "out of memory");
        long refusedSoFar = oomReplies(admin);
        Poll.until(Duration.ofSeconds(10), "the round to be refused by Redis a few times",
            () -> oomReplies(admin) >= refusedSoFar + 3);
      } finally {
        admin.configSet("maxmemory", "0");
      }

      assertEquals("COMPLETED",
          api.awaitRoundEnd(productId, Duration.ofSeconds(60)).get("status").asText());
      assertEquals(LongStream.rangeClosed(1, SUBSCRIBERS).boxed().toList(),
          api.notifiedUsers(productId, 1));
      assertEquals(5, api.get("/products/" + productId).json().get("stock").asInt());
    }
  }

  @Test
  void a_read_only_replica_answers_503_until_it_is_primary_again() throws Exception {
    try (ThrowawayRedis primary = ThrowawayRedis.start("--repl-diskless-sync-delay", "0");
        ThrowawayRedis redis = ThrowawayRedis.start();
        RunningApp app = RunningApp.start(Map.of("REDIS_URL", redis.url()));
        Jedis admin = redis.admin()) {
      Api api = app.api();
      long productId = api.createProduct("Failing over", 5);

      admin.replicaof("127.0.0.1", primary.port());
      try {
        Poll.until(Duration.ofSeconds(10), "the service's Redis to become a replica",
            () -> admin.info("replication").contains("master_link_status:up"));
        assertUnavailable(api.put("/products/" + productId + "/stock", "{\"stock\":7}"), "read-only");
      } finally {
        admin.replicaofNoOne();
      }

      assertEquals(5, api.get("/products/" + productId).json().get("stock").asInt());
      Api.Response afterwards = api.put("/products/" + productId + "/stock", "{\"stock\":7}");
      assertEquals(200, afterwards.status(), afterwards.toString());
    }
  }

  @Test
  void loading_after_a_restart_answers_503_until_the_data_is_in() throws Exception {
    try (ThrowawayRedis redis = ThrowawayRedis.start();
        RunningApp app = RunningApp.start(Map.of("REDIS_URL", redis.url()))) {
      Api api = app.api();
      long productId = api.createProduct("Reloaded", 5);

      redis.restartLoadingSlowly();
      // The first few may meet a pooled connection the restart broke: "not reachable".
      List<Api.Response> answers = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        answers.add(api.put("/products/" + productId + "/stock", "{\"stock\":7}"));
      }
      assertTrue(redis.loading(), "Redis was done loading before the last request; proves nothing");

      answers.forEach(answer -> assertUnavailable(answer, "Redis"));
      assertTrue(answers.stream().anyMatch(a -> a.json().get("message").asText().contains("loading")),
          answers.toString());
      assertEquals(5, api.get("/products/" + productId).json().get("stock").asInt());
      Poll.until(Duration.ofSeconds(60), "Redis to finish loading", () -> !redis.loading());
      Poll.until(Duration.ofSeconds(10), "stock changes to be taken again",
          () -> api.put("/products/" + productId + "/stock", "{\"stock\":7}").status() == 200);
    }
  }

  private static void assertUnavailable(Api.Response answer, String said) {
    assertEquals(503, answer.status(), answer.toString());
    assertEquals("UNAVAILABLE", answer.json().get("error").asText(), answer.toString());
    assertTrue(answer.json().get("message").asText().contains(said), answer.toString());
  }

  /** How many commands Redis has refused for want of memory since it started. */
  private static long oomReplies(Jedis admin) {
    return admin.info("errorstats").lines()
        .filter(line -> line.startsWith("errorstat_OOM:count="))
        .mapToLong(line -> Long.parseLong(line.substring("errorstat_OOM:count=".length()).strip()))
        .findFirst().orElse(0);
  }
}
