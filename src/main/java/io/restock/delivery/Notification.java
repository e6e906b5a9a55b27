package io.restock.delivery;

/**
 * One message: tell this user that this product is back, for this round; the product's name is
 * for the text a person reads. {@code dueNanos} is the slot of the shared schedule it was given
 * (System.nanoTime): the request is written ahead, and its last byte held until then; {@code ownerToken} names the run
 * sending it, whose lease must still be on the round for the message to leave.
 */
public record Notification(long productId, String productName, long userId, int restockRound,
    long dueNanos, String ownerToken) {
  /** The same message always carries the same key, so a receiver can drop a repeat. */
  public String idempotencyKey() {
    return "restock-" + productId + "-" + restockRound + "-" + userId;
  }
}
