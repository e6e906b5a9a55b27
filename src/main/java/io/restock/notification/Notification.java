package io.restock.notification;

/**
 * One message: tell this user that this product is back, for this round. {@code dueNanos} is the
 * slot of the shared rate it was given, and {@code leaseSureUntilNanos} how long its run surely
 * holds the round's lease (both System.nanoTime): a sender that gets to it late knows, and a
 * message of a run that may have lost the round to another instance does not leave.
 */
public record Notification(long productId, long userId, int restockRound, long dueNanos,
    long leaseSureUntilNanos) {
  /** The same message always carries the same key, so a receiver can drop a repeat. */
  public String idempotencyKey() {
    return "restock-" + productId + "-" + restockRound + "-" + userId;
  }
}
