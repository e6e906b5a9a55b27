package io.restock.dispatch;

import io.restock.delivery.NotSent;
import io.restock.delivery.Notification;
import io.restock.delivery.WebhookNotifier;
import io.restock.infra.RedisKeys;
import io.restock.infra.RedisScript;
import io.restock.product.StockMirror;
import io.restock.round.RoundOwner;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.UnifiedJedis;

/**
 * What a sending thread does around each webhook request. The request is written up to its last
 * byte ahead of its slot; at the slot one script decides, as late as it can be: the run still
 * holds the round's lease, the product is in stock, and fewer than {@link #WINDOW_SHARE} of the
 * cap left in the last second, everywhere; then the message is logged as leaving and its last
 * byte goes. A message whose last byte went out late (its thread was descheduled after the
 * answer) is counted again from when it really left, so the messages after it do not fill its
 * second a second time. If the provider then does not take it, the entry is withdrawn, so the
 * retry or a later resend is not mistaken for a message already sent.
 */
public final class DepartureGate implements WebhookNotifier.SendGate {
  /**
   * No second of departures holds more than this share of the cap (497 at 500/s): the rest is
   * room for delivery jitter between here and the provider, which counts where the messages
   * arrive. Measured on a busy 2-core machine (a sale's requests, MySQL, Redis and the receiver on
   * it too), at 99.4 % with the schedule at {@link GlobalRateLimiter#SCHEDULE_SHARE}: the busiest
   * second held 498-499 on the wire and 498-500 at a receiver whose threads ran real-time; a
   * receiver on the normal scheduler, now and then 8 ms late, read 501-503 in one run in five to
   * seven (README, "Benchmark"). At 99 % the rounds sent 98.9 % of the cap at the median.
   */
  static final double WINDOW_SHARE = 0.994;

  /**
   * KEYS: lease, stock, departures, sent log, purchase tickets. ARGV: token, window limit, user,
   * sent-log TTL, settling wait, ticket age limit, departure id. Answers 0 (logged: go),
   * microseconds to wait before asking again (the last second is full, or the copy says sold out
   * but a purchase under way may yet be refused and give some back), or -1 sold out, -2 stock
   * unknown, -3 lease lost. The departures are a sorted set of the last second's departures by
   * Redis's clock, a departure counted again later scored at that later time.
   */
  private static final String SCRIPT = StockMirror.LUA_TAKEN_AHEAD + """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -3 end
      local stock = redis.call('GET', KEYS[2])
      if not stock then return -2 end
      if soldOut(tonumber(stock), KEYS[5], ARGV[6]) then return -1 end
      if tonumber(stock) <= 0 then return tonumber(ARGV[5]) end
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', string.format('%.0f', now - 1000000))
      local limit = tonumber(ARGV[2])
      local count = redis.call('ZCARD', KEYS[3])
      if count >= limit then
        local first = redis.call('ZRANGE', KEYS[3], count - limit, count - limit, 'WITHSCORES')
        return math.max(1, tonumber(first[2]) + 1000000 - now)
      end
      redis.call('ZADD', KEYS[3], string.format('%.0f', now), ARGV[7])
      redis.call('PEXPIRE', KEYS[3], 2000)
      redis.call('HSET', KEYS[4], ARGV[3], 'left')
      redis.call('PEXPIRE', KEYS[4], ARGV[4])
      return 0
      """;
  /** KEYS: departures. ARGV: departure id. Scores the departure now, if it is still counted. */
  private static final String LEFT_LATE = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      redis.call('ZADD', KEYS[1], 'XX', 'GT', string.format('%.0f', now), ARGV[1])
      return 0
      """;
  /**
   * From asking the script to the last byte written: a message slower than this left later than
   * the script counted it. The answer's round trip is 0.1-0.3 ms; a thread descheduled on the way
   * takes milliseconds, and that tail is what bunched arrivals at the receiver.
   */
  static final long LATE_NANOS = 1_000_000;
  private static final long LOST = -3;
  /**
   * How often a message held by a purchase under way asks again: a purchase settles within a few
   * milliseconds; one whose process died holds it until its ticket lapses (StockMirror).
   */
  private static final String SETTLING_WAIT_MICROS = "2000";

  private final UnifiedJedis redis;
  private final RedisScript script = new RedisScript(SCRIPT);
  private final RedisScript leftLate = new RedisScript(LEFT_LATE);
  /** Tells one departure from another in the shared set: with the run's token, unique. */
  private final AtomicLong departures = new AtomicLong();
  private final SentLog sentLog;
  private final String windowLimit;

  public DepartureGate(UnifiedJedis redis, SentLog sentLog, int ratePerSecond) {
    this.redis = redis;
    this.sentLog = sentLog;
    this.windowLimit = Long.toString(Math.max(1, (long) Math.floor(ratePerSecond * WINDOW_SHARE)));
  }

  /**
   * Waits for the message's slot, then lets it go once the script says so. Killed at any point,
   * this process leaves the message logged or undelivered, never delivered and unlogged; both
   * only if killed between Redis's reply and the last byte.
   *
   * @throws NotSent when the message may not leave (sold out, stock copy gone, lease lost, Redis
   *     failing); {@code release} has not run
   */
  @Override
  public void leaving(Notification n, Runnable release) {
    waitUntil(n.dueNanos());
    String departure = n.ownerToken() + ":" + n.userId() + ":" + departures.incrementAndGet();
    long asked = System.nanoTime();
    long answer;
    while ((answer = decide(n, departure)) > 0) {
      waitUntil(System.nanoTime() + answer * 1_000);
      asked = System.nanoTime();
    }
    if (answer == LOST) {
      throw new NotSent("the round's lease is not this run's any more", null);
    }
    if (answer < 0) {
      // Sold out, or Redis lost the stock copy: the message goes back to the send loop, which
      // restores the copy from MySQL and checks again before it is retried.
      throw new NotSent("stock gone or unknown before the message left", null);
    }
    release.run();
    if (System.nanoTime() - asked > LATE_NANOS) {
      countAgainFromNow(departure);
    }
  }

  @Override
  public void notTaken(Notification n) {
    sentLog.withdraw(n);
  }

  /**
   * A gate for the notifier's warm-up: it runs the departure script as a real message does, for
   * product 0, which never exists and so never has a lease (the script stops at its first check
   * and writes nothing), then lets the warm-up request go.
   */
  @Override
  public WebhookNotifier.SendGate forWarmUp() {
    return new WebhookNotifier.SendGate() {
      @Override
      public void leaving(Notification n, Runnable release) {
        if (n.productId() == 0) {
          decide(n, "warm-up");
        }
        release.run();
      }

      @Override
      public void notTaken(Notification n) {
        // Nothing was logged.
      }

      @Override
      public WebhookNotifier.SendGate forWarmUp() {
        return this;
      }
    };
  }

  /**
   * The message is out whatever Redis says now: a failure here leaves it counted from its
   * decision, as every departure was before this was added, and must not withdraw its entry.
   */
  private void countAgainFromNow(String departure) {
    try {
      leftLate.run(redis, List.of(RedisKeys.DEPARTURES), List.of(departure));
    } catch (RuntimeException e) {
      // See above: nothing to undo.
    }
  }

  private long decide(Notification n, String departure) {
    try {
      return (Long) script.run(redis,
          List.of(RedisKeys.lease(n.productId(), n.restockRound()), RedisKeys.stock(n.productId()),
              RedisKeys.DEPARTURES, RedisKeys.sentLog(n.productId(), n.restockRound()),
              RedisKeys.stockTickets(n.productId())),
          List.of(n.ownerToken(), windowLimit, Long.toString(n.userId()),
              Long.toString(RoundOwner.KEYS_OUTLIVE_MILLIS), SETTLING_WAIT_MICROS,
              StockMirror.ticketMillis(), departure));
    } catch (RuntimeException e) {
      sentLog.withdraw(n); // the entry may be in, and the message is not leaving now
      throw new NotSent("Redis did not answer before the message left: " + e.getMessage(), e);
    }
  }

  private static void waitUntil(long nanos) {
    for (long left = nanos - System.nanoTime(); left > 0; left = nanos - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }
}
