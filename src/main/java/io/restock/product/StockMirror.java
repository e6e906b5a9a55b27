package io.restock.product;

import io.restock.infra.GuardedWrite;
import io.restock.infra.RedisKeys;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * A copy of each product's stock in Redis, so the send loop can see a sale before every message
 * without asking MySQL. It is written inside the MySQL transaction that changes the stock, while
 * that transaction holds the product's row lock, so copies are written in the same order as the
 * changes they copy.
 */
public final class StockMirror {
  private final UnifiedJedis redis;

  public StockMirror(UnifiedJedis redis) {
    this.redis = redis;
  }

  public void set(long productId, int stock) {
    redis.set(RedisKeys.stock(productId), Integer.toString(stock));
  }

  /** After Redis lost its data: put back the stock read from MySQL, unless a change got there first. */
  public void restoreIfMissing(long productId, int stock) {
    redis.set(RedisKeys.stock(productId), Integer.toString(stock), SetParams.setParams().nx());
  }

  /**
   * Drops a copy that may be ahead of MySQL (a transaction that failed after writing it), but
   * only if it still holds what that transaction wrote: a later change may have replaced it.
   */
  public void forget(long productId, int written) {
    String key = RedisKeys.stock(productId);
    GuardedWrite.run(redis, new GuardedWrite.Guard(key, Integer.toString(written)),
        GuardedWrite.Write.of("DEL", key));
  }
}
