package io.restock.dispatch;

import java.util.concurrent.TimeUnit;

/**
 * A run's hold on its round: the Redis lease, renewed about once a second by the run's own
 * thread. Once a renewal finds it gone, the run has lost the round for good.
 */
final class RunLease {
  private static final long RENEW_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final RoundSender.KeepAlive keepAlive;
  private long nextRenewalNanos;
  private boolean lost;

  RunLease(RoundSender.KeepAlive keepAlive) {
    this.keepAlive = keepAlive;
    this.nextRenewalNanos = System.nanoTime();
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
}
