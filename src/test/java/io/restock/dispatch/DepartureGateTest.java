package io.restock.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.delivery.NotSent;
import io.restock.delivery.Notification;
import io.restock.infra.RedisKeys;
import io.restock.product.StockMirror;
import io.restock.support.Poll;
import io.restock.support.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The last check before a message's last byte, in the real Redis. */
class DepartureGateTest {
  @Test
  void a_message_leaves_with_its_entry_only_while_its_run_holds_the_lease() {
    TestServices.get().clean();
    try (RedisClient redis = TestServices.get().redis()) {
      DepartureGate gate = new DepartureGate(redis, new SentLog(redis), 500);
      new StockMirror(redis).set(1, 5, 1);
      AtomicBoolean released = new AtomicBoolean();

      Notification noLease = new Notification(1, "Boot", 7, 1, System.nanoTime(), "run-a");
      assertThrows(NotSent.class, () -> gate.leaving(noLease, () -> released.set(true)));
      assertFalse(released.get(), "the last byte was written with no lease on the round");
      assertNull(redis.hget(RedisKeys.sentLog(1, 1), "7"));

      assertTrue(new RoundLeases(redis).acquire(1, 1, "run-b"));
      assertThrows(NotSent.class, () -> gate.leaving(noLease, () -> released.set(true)));
      assertFalse(released.get(), "the last byte was written under another run's lease");
      assertNull(redis.hget(RedisKeys.sentLog(1, 1), "7"));

      Notification owned = new Notification(1, "Boot", 8, 1, System.nanoTime(), "run-b");
      gate.leaving(owned, () -> released.set(true));
      assertTrue(released.get());
      assertEquals(SentLog.LEFT, redis.hget(RedisKeys.sentLog(1, 1), "8"));
      assertTrue(redis.pttl(RedisKeys.sentLog(1, 1)) > 0, "the sent log would outlive its round for ever");
    }
  }

  @Test
  void a_message_due_after_a_sell_out_or_with_no_stock_copy_does_not_leave() {
    TestServices.get().clean();
    try (RedisClient redis = TestServices.get().redis()) {
      DepartureGate gate = new DepartureGate(redis, new SentLog(redis), 500);
      assertTrue(new RoundLeases(redis).acquire(1, 1, "run"));
      AtomicBoolean released = new AtomicBoolean();
      Notification n = new Notification(1, "Boot", 7, 1, System.nanoTime(), "run");

      assertThrows(NotSent.class, () -> gate.leaving(n, () -> released.set(true)));
      new StockMirror(redis).set(1, 0, 2);
      assertThrows(NotSent.class, () -> gate.leaving(n, () -> released.set(true)));
      assertFalse(released.get(), "a message left with the product sold out or its stock unknown");
      assertNull(redis.hget(RedisKeys.sentLog(1, 1), "7"));
      assertFalse(redis.exists(RedisKeys.DEPARTURES), "a message held back counted as a departure");
    }
  }

  /**
   * A purchase takes its quantity off the copy before MySQL decides, so a copy at 0 or below with
   * a purchase still settling is not a sell-out yet: the message waits. It leaves if the purchase
   * is refused, and is held back as sold out once no purchase is left to settle.
   */
  @Test
  void a_message_waits_while_a_purchase_that_may_be_refused_settles() throws Exception {
    TestServices.get().clean();
    try (RedisClient redis = TestServices.get().redis()) {
      DepartureGate gate = new DepartureGate(redis, new SentLog(redis), 500);
      StockMirror mirror = new StockMirror(redis);
      assertTrue(new RoundLeases(redis).acquire(1, 1, "run"));
      mirror.set(1, 3, 1);
      String tooMany = StockMirror.newTicket();
      mirror.takeAhead(1, tooMany, 5); // the copy says -2 until MySQL refuses it
      AtomicBoolean released = new AtomicBoolean();
      long asked = scriptCalls(redis);
      CompletableFuture<Void> leaving = CompletableFuture.runAsync(() -> gate.leaving(
          new Notification(1, "Boot", 7, 1, System.nanoTime(), "run"), () -> released.set(true)));
      // Settled only once the departure has asked and been told to wait.
      Poll.until(Duration.ofSeconds(5), "the departure asking", () -> scriptCalls(redis) > asked);
      assertFalse(leaving.isDone(), "the message did not wait for the purchase to settle");
      mirror.settle(1, tooMany, 3, 1);
      leaving.get(5, TimeUnit.SECONDS);
      assertTrue(released.get(), "a refused purchase ended the round as sold out");

      // The last unit bought, by a process that died before it settled: its ticket lapses.
      mirror.set(1, 0, 2);
      redis.hset(RedisKeys.stockTickets(1), "dead", "1:" + System.currentTimeMillis());
      redis.pexpire(RedisKeys.stockTickets(1), 300);
      Notification next = new Notification(1, "Boot", 8, 1, System.nanoTime(), "run");
      assertThrows(NotSent.class, () -> gate.leaving(next, () -> { }));
      assertFalse(redis.exists(RedisKeys.stockTickets(1)), "sold out before the purchase settled");
      assertNull(redis.hget(RedisKeys.sentLog(1, 1), "8"));
    }
  }

  /**
   * At a cap of 10/s the window holds 9 (rounded down): 9 messages due at once leave at once, the 10th
   * waits until the first left a second ago, however early its slot said it could go.
   */
  @Test
  void no_second_of_departures_holds_more_than_the_window_allows() {
    TestServices.get().clean();
    try (RedisClient redis = TestServices.get().redis()) {
      DepartureGate gate = tenASecondInStock(redis);
      List<Long> left = new ArrayList<>();
      for (int user = 1; user <= 10; user++) {
        gate.leaving(new Notification(1, "Boot", user, 1, System.nanoTime(), "run"),
            () -> left.add(System.nanoTime()));
      }
      assertTrue(left.get(8) - left.get(0) < 500_000_000L, "the first nine were held back");
      // Redis's clock and this JVM's differ by the round trips: a few ms of slack.
      assertTrue(left.get(9) - left.get(0) >= 995_000_000L,
          "ten left within " + (left.get(9) - left.get(0)) / 1_000_000 + " ms");
      // Nor held past the second's end: the first leaves the count once it is a second old.
      assertTrue(left.get(9) - left.get(0) < 1_500_000_000L,
          "the tenth left " + (left.get(9) - left.get(0)) / 1_000_000 + " ms after the first");
      // Members are token:user:sequence. How many of users 2-9 are still within the second at the
      // tenth's decision depends on how late its wait ended, so the count is a bound, not 9.
      assertNull(redis.zscore(RedisKeys.DEPARTURES, "run:1:1"),
          "a departure over a second old was kept");
      assertNotNull(redis.zscore(RedisKeys.DEPARTURES, "run:10:10"), "the tenth was not counted");
      assertTrue(redis.zcard(RedisKeys.DEPARTURES) <= 9, "the set holds more than the window");
    }
  }

  /**
   * A thread descheduled between the script's answer and the last byte sends its message late:
   * the window counts it from then, or the second after the script's answer would hold it and a
   * full second's worth more.
   */
  @Test
  void a_message_that_left_late_counts_from_when_it_left() {
    TestServices.get().clean();
    try (RedisClient redis = TestServices.get().redis()) {
      DepartureGate gate = tenASecondInStock(redis);
      long asked = System.nanoTime();
      gate.leaving(new Notification(1, "Boot", 1, 1, asked, "run"),
          () -> LockSupport.parkNanos(Duration.ofMillis(400).toNanos()));
      long lastByte = System.nanoTime();
      List<Long> left = new ArrayList<>();
      for (int user = 2; user <= 10; user++) {
        gate.leaving(new Notification(1, "Boot", user, 1, System.nanoTime(), "run"),
            () -> left.add(System.nanoTime()));
      }
      assertTrue(left.get(7) - asked < 900_000_000L, "the next eight were held back");
      // Redis's clock and this JVM's differ by the round trips: a few ms of slack.
      assertTrue(left.get(8) - lastByte >= 995_000_000L, "the tenth left "
          + (left.get(8) - lastByte) / 1_000_000 + " ms after the late one's last byte");
    }
  }

  /** A gate at a cap of 10/s (a window of 9), product 1 in stock, its round 1 held by "run". */
  private static DepartureGate tenASecondInStock(RedisClient redis) {
    new StockMirror(redis).set(1, 100, 1);
    assertTrue(new RoundLeases(redis).acquire(1, 1, "run"));
    return new DepartureGate(redis, new SentLog(redis), 10);
  }

  /** Scripts Redis has run by their SHA, as every departure's is. */
  private static long scriptCalls(RedisClient redis) {
    String info = redis.info("commandstats");
    int at = info.indexOf("cmdstat_evalsha:calls=");
    return at < 0 ? 0 : Long.parseLong(info.substring(at + 22, info.indexOf(',', at)));
  }
}
