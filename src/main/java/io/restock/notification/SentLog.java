package io.restock.notification;

import java.util.Collection;
import java.util.Set;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;

/**
 * Users told in a round whose history row may not be in MySQL yet: a Redis set per round, written
 * within a fraction of a millisecond of each success and emptied as MySQL records them. A round
 * resumed after a crash reads it first, so a message the provider accepted just before the crash
 * is recorded rather than sent again.
 */
public final class SentLog {
  private final UnifiedJedis redis;

  public SentLog(UnifiedJedis redis) {
    this.redis = redis;
  }

  static String key(long productId, int round) {
    return "restock:sent:" + productId + ":" + round;
  }

  void add(AbstractPipeline pipeline, long productId, int round, Collection<Long> userIds) {
    pipeline.sadd(key(productId, round), userIds.stream().map(String::valueOf).toArray(String[]::new));
  }

  void remove(AbstractPipeline pipeline, long productId, int round, Collection<Long> userIds) {
    pipeline.srem(key(productId, round), userIds.stream().map(String::valueOf).toArray(String[]::new));
  }

  void forget(long productId, int round) {
    redis.del(key(productId, round));
  }

  Set<String> members(long productId, int round) {
    return redis.smembers(key(productId, round));
  }
}
