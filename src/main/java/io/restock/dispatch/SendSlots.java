package io.restock.dispatch;

import io.restock.round.RoundMetrics;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One run's place in the shared send schedule: it books its slots (and learns whether the product
 * is still in stock), and hands each message on {@link #LEAD_NANOS} before its slot, so that the
 * hand-over and the request's first bytes are done when the slot comes and the sending thread
 * only waits for it. A longer lead (10 and 20 ms were tried) hides longer stalls of the loop, but
 * the messages it holds in hand leave together after any stall of the process, and two instances
 * at 1,000/s then put up to 1,116 in one second at the test's receiver.
 */
final class SendSlots {
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  static final long LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private final GlobalRateLimiter limiter;
  private final RoundMetrics metrics;
  private final long productId;
  private final RunLease lease;
  /** Copies the product's stock from MySQL to Redis (unless Redis holds a newer change). */
  private final Runnable reloadStock;
  private long nextSlotNanos;
  private int slotsLeft;

  SendSlots(GlobalRateLimiter limiter, RoundMetrics metrics, long productId, RunLease lease,
      Runnable reloadStock) {
    this.limiter = limiter;
    this.metrics = metrics;
    this.productId = productId;
    this.lease = lease;
    this.reloadStock = reloadStock;
  }

  /**
   * Waits until the lead before the next slot; the slot's time (System.nanoTime), or empty if the
   * product sold out.
   */
  OptionalLong await() {
    if (slotsLeft == 0 && !book()) {
      return OptionalLong.empty();
    }
    long slot = nextSlotNanos;
    nextSlotNanos += limiter.spacingNanos();
    slotsLeft--;
    long handOn = slot - LEAD_NANOS;
    metrics.waitedForSlot(Math.max(0, handOn - System.nanoTime()) / 1_000);
    for (long left = handOn - System.nanoTime(); left > 0; left = handOn - System.nanoTime()) {
      // A low cap shared by many rounds can mean seconds between slots: the lease is renewed
      // meanwhile (a lost one is seen by the loop, and its messages are held back).
      LockSupport.parkNanos(Math.min(left, MAX_PARK_NANOS));
      lease.renewIfDue();
    }
    return OptionalLong.of(slot);
  }

  /** Checks the stock and books the next slot(s); false if the product sold out. */
  private boolean book() {
    long wait = reserveWithCopy();
    if (wait == GlobalRateLimiter.SOLD_OUT) {
      // Before a round ends on it, the copy is read again from MySQL: a purchase cut short (a
      // lost answer, a process killed) can have left it low.
      reloadStock.run();
      wait = reserveWithCopy();
    }
    if (wait == GlobalRateLimiter.SOLD_OUT) {
      return false;
    }
    nextSlotNanos = System.nanoTime() + wait * 1_000;
    slotsLeft = limiter.permitsPerCall();
    return true;
  }

  private long reserveWithCopy() {
    long wait = limiter.reserve(productId);
    while (wait == GlobalRateLimiter.STOCK_UNKNOWN) {
      // Redis lost the copy (restart, or a failed stock change): MySQL has the truth.
      reloadStock.run();
      wait = limiter.reserve(productId);
    }
    return wait;
  }
}
