package io.restock.bench;

import java.io.IOException;

/**
 * Sold-out: buys everything left of product 1 in the middle of its round. During an --api-load
 * rush it sets the stock to 0 instead: the rush's own purchases would keep changing the stock
 * between the read and the buy, and the buy would answer 409 again and again.
 */
final class SoldOut {
  private final Api api;
  private final long productId;
  private final boolean rush;
  private volatile Thread thread;
  volatile long purchaseStartNanos;
  volatile long purchaseDoneNanos;
  volatile long quantityBought;
  volatile String outcome = "purchase never triggered (round ended before the threshold)";

  SoldOut(Api api, long productId, boolean rush) {
    this.api = api;
    this.productId = productId;
    this.rush = rush;
  }

  /** What the sell-out did, for the report. */
  String how() {
    return rush ? "PUT stock 0" : "read stock + buy";
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
      if (rush) {
        setToZero();
        return;
      }
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

  private void setToZero() throws IOException {
    Api.Response r = api.setStock(productId, 0);
    if (r.status() != 200) {
      outcome = "setting stock to 0 failed: HTTP " + r.status() + " " + MiniJson.abbreviate(r.body());
      return;
    }
    purchaseDoneNanos = System.nanoTime();
    outcome = "stock set to 0 (PUT /products/" + productId + "/stock, during the api load)";
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
