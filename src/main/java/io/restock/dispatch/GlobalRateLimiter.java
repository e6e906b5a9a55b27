package io.restock.dispatch;

import io.restock.infra.RedisKeys;
import io.restock.infra.RedisScript;
import io.restock.product.StockMirror;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * One send schedule for every instance, kept in Redis: GCRA with no burst, on Redis's clock. Each
 * call books the next slot (a few, from 4000/s up) of the shared schedule and answers how long
 * until the first, so rounds on any instance take turns in the order they asked and no idle spell
 * is "saved up". The same script checks the product's stock first: a round that sold out books
 * nothing more (unless purchases under way may yet be refused and give some back: then the slot
 * is booked and {@link DepartureGate} holds the message until they settle). The slots are where
 * messages should leave; {@link DepartureGate} makes sure that where they really leave, no second
 * holds more than the cap allows.
 */
public final class GlobalRateLimiter {
  /**
   * The schedule runs this far below the cap, and below {@link DepartureGate#WINDOW_SHARE}: a message
   * that leaves a little late and its neighbours leaving on time then still fit one second's
   * window without waiting at the departure check. 99.2 %: the rounds send 99.1-99.4 % of the cap
   * when the machine is quiet (README, "Benchmark").
   */
  static final double SCHEDULE_SHARE = 0.992;

  /** Reservation answers: wait in microseconds when >= 0, or one of these. */
  public static final long SOLD_OUT = -1;
  public static final long STOCK_UNKNOWN = -2;

  /**
   * A schedule up to ARGV[2] microseconds behind (its senders were late) goes on from where it
   * was, so the missed slots are made up; one further behind (idle, or a long stall) starts again
   * at now, so an idle spell never becomes a burst. Making up is safe for the cap: every message
   * still passes the departure window.
   */
  private static final String SCRIPT = StockMirror.LUA_TAKEN_AHEAD + """
      local stock = redis.call('GET', KEYS[2])
      if not stock then return -2 end
      if soldOut(tonumber(stock), KEYS[3], ARGV[3]) then return -1 end
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local start = tonumber(redis.call('GET', KEYS[1]) or '0')
      if start < now - tonumber(ARGV[2]) then start = now end
      redis.call('SET', KEYS[1], string.format('%.0f', start + tonumber(ARGV[1])), 'PX', 60000)
      return math.max(0, start - now)
      """;
  /**
   * How far behind the schedule may fall and still be made up: 12 ms at 500/s. In the bench's
   * flash-sale rush the send loop's threads wait for a CPU now and then; with 2 slots made up the
   * rounds sent 95.0-98.3 % of the cap inside the rush (6 runs), with 6 98.3-99.4 % (6), with 12
   * 98.0-99.4 % (3), the busiest second 499 at most at the receiver and on the wire in each
   * (README, "Benchmark"). What is made up still passes the departure window.
   */
  static final int CATCH_UP_SLOTS = 6;

  private final UnifiedJedis redis;
  private final RedisScript script = new RedisScript(SCRIPT);
  private final int permitsPerCall;
  private final double intervalMicros;

  public GlobalRateLimiter(UnifiedJedis redis, int ratePerSecond) {
    this.redis = redis;
    // One slot a call up to 2000/s, so rounds sharing the schedule take strict turns (two a call
    // let one round run ahead of another); from 4000/s up a round trip per message would cost
    // more than the message, so a call books about half a millisecond's worth.
    this.permitsPerCall = Math.max(1, ratePerSecond / 2000);
    this.intervalMicros = 1_000_000.0 / (ratePerSecond * SCHEDULE_SHARE);
  }

  public int permitsPerCall() {
    return permitsPerCall;
  }

  /** Nanoseconds between two slots of one reservation. */
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
    return (Long) script.run(redis, List.of(RedisKeys.RATE_SCHEDULE, RedisKeys.stock(productId),
            RedisKeys.stockTickets(productId)),
        List.of(Long.toString(span), Long.toString(Math.round(intervalMicros * CATCH_UP_SLOTS)),
            StockMirror.ticketMillis()));
  }
}
