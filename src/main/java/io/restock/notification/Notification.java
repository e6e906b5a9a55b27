package io.restock.notification;

/** One message: tell this user that this product is back, for this round. */
public record Notification(long productId, long userId, int restockRound) {
  /** The same message always carries the same key, so a receiver can drop a repeat. */
  public String idempotencyKey() {
    return "restock-" + productId + "-" + restockRound + "-" + userId;
  }
}
