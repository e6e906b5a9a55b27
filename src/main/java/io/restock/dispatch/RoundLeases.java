package io.restock.dispatch;

import io.restock.infra.GuardedWrite.Write;
import io.restock.infra.GuardedWrite;
import io.restock.infra.RedisKeys;
import io.restock.round.RoundOwner;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Who is sending a round right now: a Redis key per round holding the owning run's token, with a
 * short expiry the owner keeps renewing. One owner per round keeps subscription order intact even
 * when the same job reaches two consumers. A lease that expired is gone for its run: renewing
 * never re-creates it, since another run may have taken the round (and even finished it) since.
 */
public final class RoundLeases {
  /** Renewed every second; a dead owner's lease is gone this long after its last renewal. */
  static final long TTL_MILLIS = 5_000;

  private final UnifiedJedis redis;

  public RoundLeases(UnifiedJedis redis) {
    this.redis = redis;
  }

  /** Takes the round's lease for a run with this token; false if another run holds it. */
  boolean acquire(long productId, int round, String token) {
    return "OK".equals(redis.set(RedisKeys.lease(productId, round), token,
        SetParams.setParams().nx().px(TTL_MILLIS)));
  }

  /** Extends the owner's lease; false once it is not the owner's any more. */
  boolean renew(RoundOwner owner) {
    String key = RedisKeys.lease(owner.productId(), owner.round());
    return GuardedWrite.run(redis, owner.guard(),
        Write.of("PEXPIRE", key, Long.toString(TTL_MILLIS)));
  }

  void release(RoundOwner owner) {
    GuardedWrite.run(redis, owner.guard(), Write.of("DEL", RedisKeys.lease(owner.productId(), owner.round())));
  }

  boolean isHeld(long productId, int round) {
    return redis.exists(RedisKeys.lease(productId, round));
  }
}
