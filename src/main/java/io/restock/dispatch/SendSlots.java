package io.restock.dispatch;

import io.restock.round.RoundMetrics;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One run's place in the shared send schedule: it books a few slots at a time (and learns whether
 * the product is still in stock), and hands each message on {@link #LEAD_NANOS} before its slot.
 * The sending thread then has the request written but for its last byte when the slot comes, so
 * what the loop and the hand-over cost, and a loop held up for less than the lead, never makes a
 * message late.
 */
final class SendSlots {
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  static final long LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private final GlobalRateLimiter limiter;
  private final RoundMetrics metrics;
  private final long productId;
  private final RunLease lease;
  /** Puts the product's stock copy back in Redis from MySQL, when Redis lost it. */
  private final Runnable restoreStock;
  private long nextSlotNanos;
  private int slotsLeft;

  SendSlots(GlobalRateLimiter limiter, RoundMetrics metrics, long productId, RunLease lease,
      Runnable restoreStock) {
    this.limiter = limiter;
    this.metrics = metrics;
    this.productId = productId;
    this.lease = lease;
    this.restoreStock = restoreStock;
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
    long wait = limiter.reserve(productId);
    while (wait == GlobalRateLimiter.STOCK_UNKNOWN) {
      // Redis lost the copy (restart, or a failed stock change): MySQL has the truth.
      restoreStock.run();
      wait = limiter.reserve(productId);
    }
    if (wait == GlobalRateLimiter.SOLD_OUT) {
      return false;
    }
    metrics.waitedForSlot(wait);
    nextSlotNanos = System.nanoTime() + wait * 1_000;
    slotsLeft = limiter.permitsPerCall();
    return true;
  }
}
