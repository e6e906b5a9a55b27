package io.restock.notification;

import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Who is sending a round right now: a Redis key per round holding the owner's name, with a short
 * expiry the owner keeps renewing. One owner per round keeps subscription order intact even when
 * the same job reaches two consumers.
 */
public final class RoundLeases {
  /** Renewed every second; a dead owner's lease is gone this long after its last renewal. */
  static final long TTL_MILLIS = 5_000;
  private static final String RENEW = """
      local owner = redis.call('GET', KEYS[1])
      if owner == ARGV[1] then
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
      end
      if not owner then
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
      end
      return 0
      """;
  private static final String RELEASE = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0
      """;

  private final UnifiedJedis redis;

  public RoundLeases(UnifiedJedis redis) {
    this.redis = redis;
  }

  static String key(long productId, int round) {
    return "restock:lease:" + productId + ":" + round;
  }

  public boolean acquire(long productId, int round, String owner) {
    return "OK".equals(redis.set(key(productId, round), owner,
        SetParams.setParams().nx().px(TTL_MILLIS)));
  }

  /** Extends our lease, or takes it again if it expired (Redis restarted); false if another owns it. */
  public boolean renew(long productId, int round, String owner) {
    return Long.valueOf(1).equals(redis.eval(RENEW, List.of(key(productId, round)),
        List.of(owner, Long.toString(TTL_MILLIS))));
  }

  public void release(long productId, int round, String owner) {
    redis.eval(RELEASE, List.of(key(productId, round)), List.of(owner));
  }

  public boolean isHeld(long productId, int round) {
    return redis.exists(key(productId, round));
  }
}
