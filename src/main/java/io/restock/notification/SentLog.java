package io.restock.notification;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;

/**
 * Messages of a round that MySQL may not have recorded yet: a Redis hash per round, user id to
 * {@code left} (written on the sending thread before the request goes out) or {@code answered}
 * (written within a fraction of a millisecond of the provider's 2xx), each entry dropped once
 * MySQL has the user's history row. A run that takes over a round after a crash reads it first:
 * a message that left is never sent again, whether or not its answer was seen.
 */
public final class SentLog {
  private static final String LEFT = "left";
  private static final String ANSWERED = "answered";

  /** What a run that died had sent and MySQL had not recorded. */
  record Unrecorded(List<Long> answered, List<Long> unanswered) {
    boolean isEmpty() {
      return answered.isEmpty() && unanswered.isEmpty();
    }
  }

  private final UnifiedJedis redis;

  public SentLog(UnifiedJedis redis) {
    this.redis = redis;
  }

  static String key(long productId, int round) {
    return "restock:sent-log:" + productId + ":" + round;
  }

  /** The message is about to leave; called (and answered) before its request is written. */
  void leaving(Notification n) {
    redis.hset(key(n.productId(), n.restockRound()), Long.toString(n.userId()), LEFT);
  }

  /** The provider did not take the message; it will be retried, or the round ends. */
  void notTaken(Notification n) {
    redis.hdel(key(n.productId(), n.restockRound()), Long.toString(n.userId()));
  }

  void answered(AbstractPipeline pipeline, long productId, int round, Collection<Long> userIds) {
    Map<String, String> fields = new HashMap<>();
    userIds.forEach(id -> fields.put(Long.toString(id), ANSWERED));
    pipeline.hset(key(productId, round), fields);
  }

  void recorded(AbstractPipeline pipeline, long productId, int round, Collection<Long> userIds) {
    pipeline.hdel(key(productId, round), userIds.stream().map(String::valueOf).toArray(String[]::new));
  }

  void forget(long productId, int round) {
    redis.del(key(productId, round));
  }

  Unrecorded unrecorded(long productId, int round) {
    List<Long> answered = new ArrayList<>();
    List<Long> unanswered = new ArrayList<>();
    redis.hgetAll(key(productId, round)).forEach((user, state) ->
        (ANSWERED.equals(state) ? answered : unanswered).add(Long.valueOf(user)));
    return new Unrecorded(answered, unanswered);
  }
}
