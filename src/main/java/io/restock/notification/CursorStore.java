package io.restock.notification;

import java.util.Optional;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;

/** The live send cursor of each round: a Redis hash per (product, round). */
public final class CursorStore {
  private final UnifiedJedis redis;

  public CursorStore(UnifiedJedis redis) {
    this.redis = redis;
  }

  static String key(long productId, int round) {
    return "restock:cursor:" + productId + ":" + round;
  }

  void save(AbstractPipeline pipeline, RoundProgress progress) {
    pipeline.hset(key(progress.productId(), progress.round()), progress.cursor().toHash());
  }

  public void save(long productId, int round, SendCursor cursor) {
    redis.hset(key(productId, round), cursor.toHash());
  }

  public Optional<SendCursor> find(long productId, int round) {
    return SendCursor.fromHash(redis.hgetAll(key(productId, round)));
  }
}
