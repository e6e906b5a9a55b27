package io.restock.notification;

import java.util.concurrent.TimeUnit;

/**
 * A run's hold on its round: the Redis lease, renewed about once a second by the run's own
 * thread, and how long the last renewal makes it sure to last. Sending threads ask
 * {@link #isSure()} right before a message's log entry: a run that has not renewed for a while
 * (a long pause) may have lost the round to another instance.
 */
final class RunLease {
  private static final long RENEW_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** The lease's TTL from a renewal, less a second for a message between the check and its end. */
  private static final long SURE_FOR_NANOS =
      TimeUnit.MILLISECONDS.toNanos(RoundLeases.TTL_MILLIS - 1_000);

  private final RoundSender.KeepAlive keepAlive;
  private long nextRenewalNanos;
  private boolean lost;
  private volatile long sureUntilNanos;

  RunLease(RoundSender.KeepAlive keepAlive) {
    this.keepAlive = keepAlive;
    long now = System.nanoTime();
    this.nextRenewalNanos = now;
    this.sureUntilNanos = now; // not sure of anything before the first renewal
  }

  /** Renews the lease if a second has passed since the last renewal; false once it is lost. */
  boolean renewIfDue() {
    long now = System.nanoTime();
    if (lost || now - nextRenewalNanos < 0) {
      return !lost;
    }
    nextRenewalNanos = now + RENEW_EVERY_NANOS;
    if (!keepAlive.stillOwner()) {
      lost = true;
      return false;
    }
    // Renewed no earlier than `now`, so the lease lasts at least its TTL from then.
    sureUntilNanos = now + SURE_FOR_NANOS;
    return true;
  }

  /** True once a renewal found the round owned by another run. */
  boolean isLost() {
    return lost;
  }

  /** After a pause (a dependency was down): renew at the next chance. */
  void renewSoon() {
    nextRenewalNanos = System.nanoTime();
  }

  boolean isSure() {
    return System.nanoTime() - sureUntilNanos < 0;
  }
}
