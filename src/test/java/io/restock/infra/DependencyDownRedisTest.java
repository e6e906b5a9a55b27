package io.restock.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.support.Poll;
import io.restock.support.TestServices;
import io.restock.support.ThrowawayRedis;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Each way Redis says "not now", caused for real on a throwaway redis-server (or, for an exhausted
 * pool, on a client of the test's own), classified as worth a retry: a 503 to the API, a pause to
 * a round. Errors that say "never" (a bug of ours) are not.
 */
class DependencyDownRedisTest {
  @Test
  void a_pool_with_no_free_connection_is_transient() {
    GenericObjectPoolConfig<Connection> onlyOne = new GenericObjectPoolConfig<>();
    onlyOne.setMaxTotal(1);
    onlyOne.setMaxWait(Duration.ofMillis(100));
    String[] hostPort = TestServices.get().redisUrl().replaceAll("redis://([^/]+)/.*", "$1").split(":");
    try (RedisClient redis = RedisClient.builder()
            .hostAndPort(new HostAndPort(hostPort[0], Integer.parseInt(hostPort[1])))
            .poolConfig(onlyOne).build();
        AbstractPipeline holdsTheConnection = redis.pipelined()) {
      assertTransient(redis::ping, "no free connection");
    }
  }

  @Test
  void out_of_memory_is_transient() throws Exception {
    try (ThrowawayRedis server = ThrowawayRedis.start("--maxmemory", "1",
            "--maxmemory-policy", "noeviction");
        Jedis redis = server.admin()) {
      assertTransient(() -> redis.set("k", "v"), "out of memory");
      // Inside a script (the rate limiter's), Redis 7 keeps the OOM code at the front.
      assertTransient(() -> redis.eval("return redis.call('SET', 'k', 'v')", 0), "out of memory");
    }
  }

  @Test
  void a_read_only_replica_is_transient() throws Exception {
    try (ThrowawayRedis primary = ThrowawayRedis.start("--repl-diskless-sync-delay", "0");
        ThrowawayRedis replica = ThrowawayRedis.start("--replicaof", "127.0.0.1",
            Integer.toString(primary.port()));
        Jedis redis = replica.admin()) {
      Poll.until(Duration.ofSeconds(10), "the replica to sync",
          () -> redis.info("replication").contains("master_link_status:up"));
      assertTransient(() -> redis.set("k", "v"), "read-only");
    }
  }

  @Test
  void a_replica_cut_off_from_its_primary_is_transient() throws Exception {
    try (ThrowawayRedis replica = ThrowawayRedis.start("--replicaof", "127.0.0.1",
            Integer.toString(portNobodyListensOn()), "--replica-serve-stale-data", "no");
        Jedis redis = replica.admin()) {
      assertTransient(() -> redis.get("k"), "primary");
    }
  }

  @Test
  void too_few_replicas_is_transient() throws Exception {
    try (ThrowawayRedis server = ThrowawayRedis.start("--min-replicas-to-write", "1");
        Jedis redis = server.admin()) {
      assertTransient(() -> redis.set("k", "v"), "replicas");
    }
  }

  @Test
  void refusing_writes_after_a_failed_snapshot_is_transient() throws Exception {
    Path disk = Files.createTempDirectory("redis-disk");
    try (ThrowawayRedis server = ThrowawayRedis.start("--save", "3600 1", "--dir", disk.toString());
        Jedis redis = server.admin()) {
      Files.delete(disk); // the disk is gone: the next snapshot fails, and then writes (MISCONF)
      redis.bgsave();
      Poll.until(Duration.ofSeconds(10), "the snapshot to fail",
          () -> redis.info("persistence").contains("rdb_last_bgsave_status:err"));
      assertTransient(() -> redis.set("k", "v"), "save to disk");
      redis.configSet("save", ""); // else it refuses to stop: its last snapshot would fail too
    }
  }

  @Test
  void loading_after_a_restart_is_transient() throws Exception {
    try (ThrowawayRedis server = ThrowawayRedis.start()) {
      server.restartLoadingSlowly();
      try (Jedis redis = server.admin()) {
        assertTransient(() -> redis.set("k", "v"), "loading");
      }
      assertTrue(server.loading(), "the server finished loading during the test");
    }
  }

  @Test
  void busy_running_a_script_is_transient() throws Exception {
    try (ThrowawayRedis server = ThrowawayRedis.start("--busy-reply-threshold", "50");
        Jedis runsTheScript = server.admin();
        Jedis redis = server.admin()) {
      CompletableFuture<Void> endless = CompletableFuture.runAsync(() -> {
        try {
          runsTheScript.eval("while true do end", 0);
        } catch (JedisException killed) {
          // SCRIPT KILL below ends it
        }
      });
      try {
        Poll.until(Duration.ofSeconds(5), "Redis to answer BUSY", () -> {
          try {
            redis.get("k");
            return false;
          } catch (JedisDataException e) {
            return e.getMessage().startsWith("BUSY");
          }
        });
        assertTransient(() -> redis.get("k"), "script");
      } finally {
        redis.scriptKill();
        endless.join();
      }
    }
  }

  @Test
  void a_cluster_without_its_slots_or_moving_them_is_transient() throws Exception {
    try (ThrowawayRedis a = ThrowawayRedis.start("--cluster-enabled", "yes");
        ThrowawayRedis b = ThrowawayRedis.start("--cluster-enabled", "yes");
        Jedis nodeA = a.admin();
        Jedis nodeB = b.admin()) {
      assertTransient(() -> nodeA.get("k"), "cluster is down"); // CLUSTERDOWN: no slot is served yet
      nodeA.clusterAddSlotsRange(0, 16383);
      nodeA.clusterMeet("127.0.0.1", b.port());
      String idOfB = nodeB.clusterMyId();
      Poll.until(Duration.ofSeconds(10), "node A to know node B and serve its slots",
          () -> nodeA.clusterNodes().contains(idOfB) && nodeA.clusterInfo().contains("cluster_state:ok"));
      nodeA.set("{tag}here", "1");
      nodeA.clusterSetSlotMigrating((int) nodeA.clusterKeySlot("{tag}here"), idOfB);
      // TRYAGAIN: a multi-key read of a slot being moved, with one of the keys already gone.
      assertTransient(() -> nodeA.mget("{tag}here", "{tag}gone"), "moving data");
    }
  }

  @Test
  void unreachable_is_transient_and_a_refusal_for_good_is_not() throws Exception {
    try (Jedis nobody = new Jedis("127.0.0.1", portNobodyListensOn())) {
      assertTransient(nobody::ping, "not reachable");
    }
    try (ThrowawayRedis server = ThrowawayRedis.start(); Jedis redis = server.admin()) {
      redis.set("k", "v");
      assertNull(DependencyDown.describe(assertThrows(JedisDataException.class, () -> redis.hget("k", "f"))));
      assertNull(DependencyDown.describe(assertThrows(JedisDataException.class,
          () -> redis.eval("return redis.call('NOSUCHCOMMAND')", 0))));
    }
  }

  /** What {@code failing} throws is transient, and said for a person without Redis's own text. */
  private static void assertTransient(Executable failing, String said) {
    JedisException error = assertThrows(JedisException.class, failing);
    String description = DependencyDown.describe(error);
    assertNotNull(description, "not seen as transient: " + error);
    assertTrue(description.contains(said), description + " for " + error);
    assertEquals(-1, description.indexOf(error.getMessage()), description);
  }

  private static int portNobodyListensOn() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
