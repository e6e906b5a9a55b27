package io.restock.jobs;

import io.restock.infra.RedisKeys;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/** The Redis Stream of restock jobs, read through one consumer group by every instance. */
public final class RestockJobs {
  static final String GROUP = "restock-senders";

  /** A job: send (or go on sending) this round. */
  public record Job(StreamEntryID id, long productId, int round) {
    static Job of(StreamEntry entry) {
      Map<String, String> fields = entry.getFields();
      return new Job(entry.getID(), Long.parseLong(fields.get("productId")),
          Integer.parseInt(fields.get("round")));
    }
  }

  /** The group's backlog; NaN when Redis cannot be asked. */
  public record Backlog(double pending, double lag) {}

  private final UnifiedJedis redis;

  public RestockJobs(UnifiedJedis redis) {
    this.redis = redis;
  }

  /** Creates the stream and group if missing (also after Redis lost its data). */
  public void ensureGroup() {
    try {
      redis.xgroupCreate(RedisKeys.JOBS, GROUP, new StreamEntryID(0, 0), true);
    } catch (JedisDataException e) {
      if (!e.getMessage().startsWith("BUSYGROUP")) {
        throw e;
      }
    }
  }

  public StreamEntryID publish(long productId, int round) {
    return redis.xadd(RedisKeys.JOBS, StreamEntryID.NEW_ENTRY,
        Map.of("productId", Long.toString(productId), "round", Integer.toString(round)));
  }

  /**
   * Finished jobs are deleted, so the stream holds exactly the pending jobs plus those not yet
   * delivered; XINFO's own lag goes unknown once entries are deleted, so it is worked out here.
   */
  public Backlog backlog() {
    try {
      long pending = redis.xpending(RedisKeys.JOBS, GROUP).getTotal();
      return new Backlog(pending, Math.max(0, redis.xlen(RedisKeys.JOBS) - pending));
    } catch (JedisDataException e) {
      return new Backlog(0, 0); // no stream or group yet
    } catch (RuntimeException e) {
      return new Backlog(Double.NaN, Double.NaN);
    }
  }

  /** Every job in the stream, delivered or not; finished jobs are deleted, so these are live. */
  public List<Job> queued() {
    return redis.xrange(RedisKeys.JOBS, "-", "+").stream()
        .map(Job::of).toList();
  }

  /** New jobs for this consumer, waiting up to the block time; empty when there are none. */
  public List<Job> readNew(String consumer, int blockMillis) {
    try {
      List<Map.Entry<String, List<StreamEntry>>> answer = redis.xreadGroup(GROUP, consumer,
          XReadGroupParams.xReadGroupParams().count(1).block(blockMillis),
          Map.of(RedisKeys.JOBS, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
      return answer == null ? List.of()
          : answer.stream().flatMap(e -> e.getValue().stream()).map(Job::of).toList();
    } catch (JedisDataException e) {
      return recreateGroupIfGone(e);
    }
  }

  /** Takes over one job that a dead consumer left pending for longer than {@code minIdleMillis}. */
  public List<Job> claimAbandoned(String consumer, long minIdleMillis) {
    try {
      // Each call looks at a few pending entries only: follow its cursor through the whole list.
      StreamEntryID from = new StreamEntryID(0, 0);
      do {
        Map.Entry<StreamEntryID, List<StreamEntry>> answer = redis.xautoclaim(RedisKeys.JOBS, GROUP,
            consumer, minIdleMillis, from, XAutoClaimParams.xAutoClaimParams().count(1));
        // Entries deleted from the stream come back as null; there is nothing to resume for them.
        List<Job> claimed = answer.getValue().stream()
            .filter(e -> e != null && e.getFields() != null).map(Job::of).toList();
        if (!claimed.isEmpty()) {
          return claimed;
        }
        from = answer.getKey();
      } while (!from.equals(new StreamEntryID(0, 0)));
      return List.of();
    } catch (JedisDataException e) {
      return recreateGroupIfGone(e);
    }
  }

  /** Tells the group the job is still being worked on, so nobody claims it as abandoned. */
  public void touch(String consumer, StreamEntryID id) {
    try {
      redis.xclaimJustId(RedisKeys.JOBS, GROUP, consumer, 0, XClaimParams.xClaimParams(), id);
    } catch (JedisDataException e) {
      // Redis lost the stream: the round goes on under its lease, the sweep sees it is owned.
      recreateGroupIfGone(e);
    }
  }

  /** Done with the job: acknowledged and deleted, so the stream holds only live work. */
  public void finish(StreamEntryID id) {
    try {
      redis.xack(RedisKeys.JOBS, GROUP, id);
      redis.xdel(RedisKeys.JOBS, id);
    } catch (JedisDataException e) {
      recreateGroupIfGone(e);
    }
  }

  /** NOGROUP, or UNBLOCKED when the stream was deleted under a blocked read: Redis lost it. */
  private List<Job> recreateGroupIfGone(JedisDataException e) {
    String message = String.valueOf(e.getMessage());
    if (message.startsWith("NOGROUP") || message.startsWith("UNBLOCKED")) {
      ensureGroup();
      return List.of();
    }
    throw e;
  }
}
