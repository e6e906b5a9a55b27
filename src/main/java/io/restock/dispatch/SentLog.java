package io.restock.dispatch;

import io.restock.delivery.Notification;
import io.restock.infra.GuardedWrite.Guard;
import io.restock.infra.GuardedWrite.Write;
import io.restock.infra.GuardedWrite;
import io.restock.infra.RedisKeys;
import io.restock.round.RoundOwner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;

/**
 * Messages of a round that MySQL may not have recorded yet: a Redis hash per round, user id to
 * {@code left} (written by the departure check right before the request's last byte, see
 * {@link DepartureGate}) or
 * {@code answered} (written within a fraction of a millisecond of the provider's 2xx), each entry
 * dropped once MySQL has the user's history row. A run that takes over a round after a crash
 * reads it first: a message that left is never sent again, whether or not its answer was seen.
 * Every write is fenced by the writing run's lease, so a run that lost the round writes nothing.
 */
public final class SentLog {
  private static final Logger log = LoggerFactory.getLogger(SentLog.class);
  static final String LEFT = "left";
  static final String ANSWERED = "answered";

  /** What a run that died had sent and MySQL had not recorded. */
  record Unrecorded(List<Long> answered, List<Long> unanswered) {
    boolean isEmpty() {
      return answered.isEmpty() && unanswered.isEmpty();
    }

    List<Long> users() {
      return Stream.concat(answered.stream(), unanswered.stream()).toList();
    }

    Unrecorded without(Set<Long> users) {
      return new Unrecorded(answered.stream().filter(u -> !users.contains(u)).toList(),
          unanswered.stream().filter(u -> !users.contains(u)).toList());
    }
  }

  private final UnifiedJedis redis;

  public SentLog(UnifiedJedis redis) {
    this.redis = redis;
  }

  /**
   * The message did not leave, or the provider did not take it: its entry goes, so a retry or a
   * later resend is not mistaken for a message already sent. If Redis misses this, the run clears
   * its whole log when it ends; until then a crash would count the message as sent.
   */
  void withdraw(Notification n) {
    try {
      GuardedWrite.run(redis, guard(n),
          Write.of("HDEL", RedisKeys.sentLog(n.productId(), n.restockRound()), Long.toString(n.userId())));
    } catch (RuntimeException e) {
      log.warn("Could not withdraw user {} from the sent log: {}", n.userId(), e.getMessage());
    }
  }

  void answered(AbstractPipeline pipeline, RoundOwner owner, Collection<Long> userIds) {
    List<String> fields = new ArrayList<>();
    userIds.forEach(id -> {
      fields.add(Long.toString(id));
      fields.add(ANSWERED);
    });
    GuardedWrite.queue(pipeline, owner.guard(), new Write("HSET",
        RedisKeys.sentLog(owner.productId(), owner.round()), RoundOwner.KEYS_OUTLIVE_MILLIS, fields));
  }

  void recorded(AbstractPipeline pipeline, RoundOwner owner, Collection<Long> userIds) {
    GuardedWrite.queue(pipeline, owner.guard(), new Write("HDEL",
        RedisKeys.sentLog(owner.productId(), owner.round()), 0, userIds.stream().map(String::valueOf).toList()));
  }

  void forget(RoundOwner owner) {
    GuardedWrite.run(redis, owner.guard(), Write.of("DEL", RedisKeys.sentLog(owner.productId(), owner.round())));
  }

  Unrecorded unrecorded(long productId, int round) {
    List<Long> answered = new ArrayList<>();
    List<Long> unanswered = new ArrayList<>();
    redis.hgetAll(RedisKeys.sentLog(productId, round)).forEach((user, state) ->
        (ANSWERED.equals(state) ? answered : unanswered).add(Long.valueOf(user)));
    return new Unrecorded(answered, unanswered);
  }

  private static Guard guard(Notification n) {
    return new Guard(RedisKeys.lease(n.productId(), n.restockRound()), n.ownerToken());
  }
}
