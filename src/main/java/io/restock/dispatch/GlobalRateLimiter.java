package io.restock.dispatch;

import io.restock.delivery.NotSent;
import io.restock.delivery.Notification;
import io.restock.infra.RedisKeys;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One send rate for every instance, kept in Redis: GCRA with no burst, on Redis's clock. Each call
 * reserves the next slot(s) of the shared schedule and answers how long to wait for the first, so
 * callers on any instance queue up in the order they asked and no idle spell is ever "saved up".
 * The same script checks the product's stock first: a sale that empties it stops the round before
 * its next message.
 */
public final class GlobalRateLimiter {
  /**
   * The schedule runs this much below the cap so that the catch-up burst and delivery jitter at
   * the receiver cannot push a 1-second window over it: at 500/s the schedule is 492.5 a second,
   * and 3 close together plus ~12 ms of spread in arrival times still keeps every window at or
   * under 500. On a busy 2-core machine 0.987 was measured over the cap (501-509), 0.985 not.
   */
  static final double HEADROOM = 0.985;

  /** Reservation answers: wait in microseconds when >= 0, or one of these. */
  public static final long SOLD_OUT = -1;
  public static final long STOCK_UNKNOWN = -2;

  /**
   * A sender that wakes up late may still take the slot it missed, up to ARGV[2] microseconds
   * back: otherwise every late wake-up is rate lost for good. That tolerance is the schedule's
   * only burst: at most {@link #CATCH_UP_SLOTS} + 1 messages close together, after idle too.
   */
  private static final String SCRIPT = """
      local stock = redis.call('GET', KEYS[2])
      if not stock then return -2 end
      if tonumber(stock) <= 0 then return -1 end
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
      local start = math.max(tat, now - tonumber(ARGV[2]))
      local nextTat = start + tonumber(ARGV[1])
      redis.call('SET', KEYS[1], string.format('%.0f', nextTat), 'PX', 60000)
      return math.max(0, start - now)
      """;
  /** How many missed slots a late sender may still use; 2 at 500/s is 4 ms of catch-up. */
  static final int CATCH_UP_SLOTS = 2;
  /** How late (in slots, 10 ms at 500/s) a message may leave before it takes a fresh slot. */
  static final int LATE_SEND_SLOTS = 5;

  private final UnifiedJedis redis;
  private final int permitsPerCall;
  private final double intervalMicros;
  private volatile String scriptSha;

  public GlobalRateLimiter(UnifiedJedis redis, int ratePerSecond) {
    this.redis = redis;
    // From 4000/s up, one round trip per message would cost more than the message; reserve
    // about half a millisecond's worth at once and space them out locally.
    this.permitsPerCall = Math.max(1, ratePerSecond / 2000);
    this.intervalMicros = 1_000_000.0 / (ratePerSecond * HEADROOM);
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
    List<String> keys = List.of(RedisKeys.RATE_SCHEDULE, RedisKeys.stock(productId));
    List<String> args =
        List.of(Long.toString(span), Long.toString(Math.round(intervalMicros * CATCH_UP_SLOTS)));
    try {
      return (Long) redis.evalsha(scriptSha(), keys, args);
    } catch (JedisNoScriptException e) {
      scriptSha = null; // Redis restarted and forgot it
      return (Long) redis.evalsha(scriptSha(), keys, args);
    }
  }

  /**
   * Called by a sender thread right before a message's last byte. If the message is more than
   * {@link #LATE_SEND_SLOTS} slots late (its thread was held up, say by a pause of the JVM or the
   * HTTP client's first start), it waits for a fresh slot instead of leaving in a bunch with the
   * ones queued behind it: after a pause the rate resumes, it does not burst to catch up. A
   * little lateness is let through: re-booking it would only lose the slot.
   *
   * @throws NotSent when the product sold out meanwhile, or its stock copy is gone
   */
  public void rebookIfLate(Notification n) {
    long late = System.nanoTime() - n.dueNanos();
    if (late <= Math.round(intervalMicros * LATE_SEND_SLOTS * 1_000)) {
      return;
    }
    long wait = reserve(n.productId());
    if (wait == SOLD_OUT || wait == STOCK_UNKNOWN) {
      // Sold out, or Redis lost the stock copy: the message goes back to the send loop, which
      // restores the copy from MySQL and checks again before it is retried.
      throw new NotSent("stock gone or unknown before the message left", null);
    }
    if (wait > 0) {
      LockSupport.parkNanos(wait * 1_000);
    }
  }

  /** The script is sent once and then called by its SHA: a few bytes a message, not the text. */
  private String scriptSha() {
    String sha = scriptSha;
    if (sha == null) {
      sha = redis.scriptLoad(SCRIPT);
      scriptSha = sha;
    }
    return sha;
  }
}
