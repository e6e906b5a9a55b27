package io.restock.bench;

import java.io.IOException;

/** Sold-out: buys everything left of product 1 in the middle of its round. */
final class SoldOut {
  private final Api api;
  private final long productId;
  private volatile Thread thread;
  volatile long purchaseStartNanos;
  volatile long purchaseDoneNanos;
  volatile long quantityBought;
  volatile String outcome = "purchase never triggered (round ended before the threshold)";

  SoldOut(Api api, long productId) {
    this.api = api;
    this.productId = productId;
  }

  /** Called on a receiver thread: the purchase runs on its own so the receiver is not held up. */
  void fire() {
    Thread t = new Thread(this::buyAll, "sold-out");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  private void buyAll() {
    purchaseStartNanos = System.nanoTime();
    try {
      // Stock can change between reading it and buying it; a 409 means "read again".
      for (int attempt = 1; attempt <= 20; attempt++) {
        long stock = api.stock(productId);
        if (stock == 0) {
          outcome = "stock was already 0";
          purchaseDoneNanos = System.nanoTime();
          return;
        }
        Api.Response r = api.purchase(productId, stock);
        if (r.status() == 200) {
          purchaseDoneNanos = System.nanoTime();
          quantityBought = stock;
          outcome = "bought " + stock + " (attempt " + attempt + ")";
          return;
        }
        if (r.status() != 409) {
          outcome = "purchase failed: HTTP " + r.status() + " " + MiniJson.abbreviate(r.body());
          return;
        }
      }
      outcome = "purchase kept answering 409";
    } catch (IOException | RuntimeException e) {
      outcome = "purchase failed: " + e;
    }
  }

  void await() throws InterruptedException {
    Thread t = thread;
    if (t != null) {
      t.join(30_000);
    }
  }

  boolean bought() {
    return purchaseDoneNanos != 0;
  }
}
