package io.restock.notification;

import io.restock.product.StockMirror;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * One send rate for every instance, kept in Redis: GCRA with no burst, on Redis's clock. Each call
 * reserves the next slot(s) of the shared schedule and answers how long to wait for the first, so
 * callers on any instance queue up in the order they asked and no idle spell is ever "saved up".
 * The same script checks the product's stock first: a sale that empties it stops the round before
 * its next message.
 */
public final class GlobalRateLimiter {
  /**
   * The schedule runs this much below the cap so that delivery jitter at the receiver cannot push
   * a 1-second window over it: at 500/s a 13 ms jitter still keeps every window at or under 500.
   */
  static final double HEADROOM = 0.985;
  static final String KEY = "restock:rate:schedule";

  /** Reservation answers: wait in microseconds when >= 0, or one of these. */
  public static final long SOLD_OUT = -1;
  public static final long STOCK_UNKNOWN = -2;

  private static final String SCRIPT = """
      local stock = redis.call('GET', KEYS[2])
      if not stock then return -2 end
      if tonumber(stock) <= 0 then return -1 end
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
      local start = math.max(tat, now)
      local nextTat = start + tonumber(ARGV[1])
      redis.call('SET', KEYS[1], string.format('%.0f', nextTat), 'PX', 60000)
      return start - now
      """;

  private final UnifiedJedis redis;
  private final int permitsPerCall;
  private final double intervalMicros;

  public GlobalRateLimiter(UnifiedJedis redis, int ratePerSecond) {
    this.redis = redis;
    // From 4000/s up, one round trip per message would cost more than the message; reserve
    // about half a millisecond's worth at once and space them out locally.
    this.permitsPerCall = Math.max(1, ratePerSecond / 2000);
    this.intervalMicros = 1_000_000.0 / (ratePerSecond * HEADROOM);
  }

  /**
   * Reads the stock copy once more right before a message leaves, so a sale made while the sender
   * waited for its slot still stops it. Used when each call reserves one permit; with larger
   * reservations (caps above 2000/s) the check made by {@link #reserve} covers the batch.
   */
  public boolean inStock(long productId) {
    String stock = redis.get(StockMirror.key(productId));
    return stock == null || Integer.parseInt(stock) > 0;
  }

  public int permitsPerCall() {
    return permitsPerCall;
  }

  /** Nanoseconds between two permits of one reservation. */
  public long spacingNanos() {
    return Math.round(intervalMicros * 1_000);
  }

  /**
   * Reserves {@link #permitsPerCall()} consecutive slots if the product is in stock.
   *
   * @return microseconds until the first slot, {@link #SOLD_OUT} or {@link #STOCK_UNKNOWN}
   */
  public long reserve(long productId) {
    long span = Math.round(intervalMicros * permitsPerCall);
    Object answer = redis.eval(SCRIPT, List.of(KEY, StockMirror.key(productId)),
        List.of(Long.toString(span)));
    return (Long) answer;
  }
}
