package io.restock.round;

import io.restock.infra.GuardedWrite.Write;
import io.restock.infra.GuardedWrite;
import io.restock.infra.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;

/** The live send cursor of each round: a Redis hash per (product, round). */
public final class CursorStore {
  private final UnifiedJedis redis;

  public CursorStore(UnifiedJedis redis) {
    this.redis = redis;
  }

  /** Fenced by the run's lease: a run that lost the round does not move its cursor. */
  public void save(AbstractPipeline pipeline, RoundOwner owner, SendCursor cursor) {
    List<String> fields = new ArrayList<>();
    cursor.toHash().forEach((field, value) -> {
      fields.add(field);
      fields.add(value);
    });
    GuardedWrite.queue(pipeline, owner.guard(), new Write("HSET",
        RedisKeys.cursor(owner.productId(), owner.round()), RoundOwner.KEYS_OUTLIVE_MILLIS, fields));
  }

  /** Once MySQL holds where the run got to, the live copy goes. */
  public void delete(RoundOwner owner) {
    GuardedWrite.run(redis, owner.guard(), Write.of("DEL", RedisKeys.cursor(owner.productId(), owner.round())));
  }

  public Optional<SendCursor> find(long productId, int round) {
    return SendCursor.fromHash(redis.hgetAll(RedisKeys.cursor(productId, round)));
  }
}
