package io.restock.subscription;

import io.restock.product.ProductDao;
import java.time.LocalDateTime;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Jdbi;

/** Who waits for which product, in the order they asked. */
public final class Subscriptions {
  /** The most users one bulk request may add; larger ranges are refused before any write. */
  public static final int MAX_BULK_USERS = 1_000_000;
  private static final int BATCH_ROWS = 5_000;

  private final Jdbi jdbi;

  public Subscriptions(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * True when the user was not actively subscribed before. A new subscriber, most of a sale's,
   * costs one statement that commits on its own, not a transaction of five round trips: the row's
   * foreign key proves the product exists, so the product is read only when nothing was inserted.
   */
  public boolean subscribe(long productId, long userId) {
    return jdbi.withHandle(h -> {
      SubscriptionDao subscriptions = new SubscriptionDao(h);
      if (subscriptions.insertIfAbsent(productId, userId) == 1) {
        return true;
      }
      // Nothing inserted: the user has a row already, or there is no such product (404).
      new ProductDao(h).require(productId);
      return subscriptions.reactivate(productId, userId, userId) == 1;
    });
  }

  public void unsubscribe(long productId, long userId) {
    jdbi.useTransaction(h -> {
      new ProductDao(h).require(productId);
      new SubscriptionDao(h).deactivate(productId, userId);
    });
  }

  /**
   * Subscribes users from..to in that order; returns how many were not active before. The range
   * must hold 1..{@link #MAX_BULK_USERS} users (the route checks it).
   */
  public int subscribeRange(long productId, long fromUser, long toUser) {
    // No transaction: each batch commits on its own, so a range of a million users does not hold
    // a million rows' locks until the end.
    return jdbi.withHandle(h -> {
      new ProductDao(h).require(productId);
      SubscriptionDao subscriptions = new SubscriptionDao(h);
      // One timestamp for the whole range (ties are broken by id, which follows insert order),
      // read from MySQL's clock like every other created_at: with this JVM's clock a few seconds
      // (or an hour) off MySQL's, users subscribed one by one would sort before or after a bulk
      // range subscribed earlier or later. MySQL is the record of truth and the one clock all
      // instances share; a java.time.Clock would still be each instance's own.
      LocalDateTime now = subscriptions.now();
      int activeBefore = subscriptions.countActive(productId, fromUser, toUser);
      // Counted from the start, never stepped past the end: with toUser near Long.MAX_VALUE,
      // "start += BATCH_ROWS" would wrap negative and the loop would never end.
      long users = toUser - fromUser + 1;
      for (long done = 0; done < users; done += BATCH_ROWS) {
        long start = fromUser + done;
        long end = start + Math.min(BATCH_ROWS, users - done) - 1;
        subscriptions.insertAll(productId, LongStream.rangeClosed(start, end).toArray(), now);
      }
      subscriptions.reactivate(productId, fromUser, toUser);
      return subscriptions.countActive(productId, fromUser, toUser) - activeBefore;
    });
  }
}
