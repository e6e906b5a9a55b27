package io.restock.notification;

import java.util.function.BooleanSupplier;

/**
 * One message: tell this user that this product is back, for this round. {@code dueNanos} is the
 * slot of the shared rate it was given (System.nanoTime), so a sender that gets to it late knows;
 * {@code leaseHeld} says whether its run surely still owns the round, so a message of a run that
 * may have lost the round to another instance does not leave.
 */
public record Notification(long productId, long userId, int restockRound, long dueNanos,
    BooleanSupplier leaseHeld) {
  /** The same message always carries the same key, so a receiver can drop a repeat. */
  public String idempotencyKey() {
    return "restock-" + productId + "-" + restockRound + "-" + userId;
  }
}
