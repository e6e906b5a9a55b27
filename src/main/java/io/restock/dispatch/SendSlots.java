package io.restock.dispatch;

import io.restock.round.RoundMetrics;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One run's place in the shared send schedule. It waits for the run's next slot, then asks Redis
 * once, right before the message leaves: is the product still in stock, and which slot comes
 * next. One round trip per message (per batch of slots from 4000/s up, when the check is made per
 * batch).
 */
final class SendSlots {
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
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

  /** Waits for the next slot; its time (System.nanoTime), or empty if the product sold out. */
  OptionalLong await() {
    if (slotsLeft == 0 && !book()) {
      return OptionalLong.empty();
    }
    long slot = nextSlotNanos;
    nextSlotNanos += limiter.spacingNanos();
    slotsLeft--;
    for (long left = slot - System.nanoTime(); left > 0; left = slot - System.nanoTime()) {
      // A low cap shared by many rounds can mean seconds between slots: the lease is renewed
      // meanwhile (a lost one is seen by the loop, and its messages are held back).
      LockSupport.parkNanos(Math.min(left, MAX_PARK_NANOS));
      lease.renewIfDue();
    }
    return slotsLeft > 0 || book() ? OptionalLong.of(slot) : OptionalLong.empty();
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
