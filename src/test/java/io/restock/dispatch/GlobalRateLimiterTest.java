package io.restock.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.product.StockMirror;
import io.restock.support.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The shared schedule in real Redis: no burst after idle, and the stock gate in front of it. */
class GlobalRateLimiterTest {
  RedisClient redis;

  @BeforeEach
  void connect() {
    TestServices.get().clean();
    redis = TestServices.get().redis();
  }

  @AfterEach
  void close() {
    redis.close();
  }

  @Test
  void after_an_idle_spell_permits_still_come_one_interval_apart() {
    GlobalRateLimiter limiter = new GlobalRateLimiter(redis, 500);
    new StockMirror(redis).set(1, 10, 1);
    long spanMicros = limiter.spacingNanos() * limiter.permitsPerCall() / 1_000;

    long started = System.nanoTime();
    long lastWait = 0;
    for (int i = 0; i < 100; i++) {
      lastWait = limiter.reserve(1);
    }
    long elapsedMicros = (System.nanoTime() - started) / 1_000;

    // 100 reservations taken at once: the 100th is 99 reservations' worth of slots after the
    // first, however long the limiter sat idle before (a bursty bucket would hand them all out
    // now, and a schedule that made up for the idle spell would start in the past).
    assertTrue(elapsedMicros + lastWait >= 99 * spanMicros - 1_000,
        "100th reservation only " + (elapsedMicros + lastWait) + " us after the first");
  }

  @Test
  void a_product_out_of_stock_gets_no_permit_once_its_purchases_settle_and_a_missing_copy_is_reported() {
    GlobalRateLimiter limiter = new GlobalRateLimiter(redis, 500);
    assertEquals(GlobalRateLimiter.STOCK_UNKNOWN, limiter.reserve(7));
    StockMirror mirror = new StockMirror(redis);
    mirror.set(7, 1, 1);
    String lastUnit = StockMirror.newTicket();
    mirror.takeAhead(7, lastUnit, 1);
    assertTrue(limiter.reserve(7) >= 0, "sold out while the purchase may still be refused");
    mirror.settle(7, lastUnit, 0, 2);
    assertEquals(GlobalRateLimiter.SOLD_OUT, limiter.reserve(7));
  }
}
