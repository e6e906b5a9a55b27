package io.restock.product;

import io.restock.infra.ApiError;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Every change to a product's stock. A purchase is one MySQL statement that commits on its own,
 * with the Redis copy taken down ahead of it and settled after it (see {@link StockMirror}); every
 * other change runs under the product's row lock, MySQL first, the Redis copy second, then commit.
 * If that commit fails after the copy was written, the copy is dropped so the send loop reloads it
 * from MySQL.
 */
public final class StockChanges {
  /**
   * What a stock change means for the product's rounds (they live in a package above this one),
   * told in the change's transaction, under the row lock.
   */
  public interface RoundEffects {
    /** The change left no stock: a round waiting between waves ends there. */
    void soldOut(Handle handle, long productId);

    /** A named user bought: the purchase counts for a round that told them, if one did. */
    void bought(Handle handle, long productId, long userId, int quantity);
  }

  private final Jdbi jdbi;
  private final StockMirror mirror;
  private final RoundEffects rounds;

  public StockChanges(Jdbi jdbi, StockMirror mirror, RoundEffects rounds) {
    this.jdbi = jdbi;
    this.mirror = mirror;
    this.rounds = rounds;
  }

  public Product create(String name, int stock) {
    return jdbi.inTransaction(h -> {
      ProductDao products = new ProductDao(h);
      long id = products.insert(name, stock);
      VersionedProduct created = products.findVersioned(id).orElseThrow();
      mirror.set(id, stock, created.stockVersion());
      return created.product();
    });
  }

  public Product setStock(long productId, int stock) {
    return change(productId, product -> stock);
  }

  /**
   * {@code userId}: the buyer, when the shop names one (attribution, SPEC rule 10), counted in
   * the purchase's transaction; or null. Answers the product as read back after the purchase.
   */
  public Product purchase(long productId, int quantity, Long userId) {
    String ticket = StockMirror.newTicket();
    int taken;
    try {
      mirror.takeAhead(productId, ticket, quantity);
      taken = take(productId, quantity, userId);
    } catch (RuntimeException e) {
      settleQuietly(productId, ticket);
      throw e;
    }
    Product product = settle(productId, ticket);
    if (taken == 0) {
      throw ApiError.conflict("INSUFFICIENT_STOCK", "Only " + product.stock() + " left of product "
          + productId + ", asked for " + quantity);
    }
    if (product.stock() == 0) {
      // Confirmed under the row lock, as every other change is: a stock set in the meantime wins.
      underLock(productId, locked -> {
        if (locked.stock() == 0) {
          rounds.soldOut(locked.handle(), productId);
        }
        return null;
      });
    }
    return product;
  }

  /** 1 if taken. A named buyer's purchase counts for a round in the same transaction. */
  private int take(long productId, int quantity, Long userId) {
    if (userId == null) {
      return jdbi.withHandle(h -> new ProductDao(h).take(productId, quantity));
    }
    return jdbi.inTransaction(h -> {
      int taken = new ProductDao(h).take(productId, quantity);
      if (taken == 1) {
        rounds.bought(h, productId, userId, quantity);
      }
      return taken;
    });
  }

  /** Reads the row back and copies it with the purchase's ticket done: the product as it is now. */
  private Product settle(long productId, String ticket) {
    VersionedProduct row = jdbi.withHandle(h -> new ProductDao(h).findVersioned(productId))
        .orElseThrow(() -> ApiError.noProduct(productId));
    mirror.settle(productId, ticket, row.product().stock(), row.stockVersion());
    return row.product();
  }

  private void settleQuietly(long productId, String ticket) {
    try {
      settle(productId, ticket);
    } catch (RuntimeException ignored) {
      // MySQL or Redis is down: the copy stays low (the send loop checks MySQL before it ends a
      // round as sold out) until the next change of the product's stock.
    }
  }

  /**
   * Runs {@code work} in a transaction that holds the product's row lock, and mirrors the stock it
   * leaves behind. Used by stock changes here and by the restock trigger.
   */
  public <T> T underLock(long productId, Function<LockedProduct, T> work) {
    AtomicReference<Long> written = new AtomicReference<>();
    try {
      return jdbi.inTransaction(h -> {
        VersionedProduct product = new ProductDao(h).lock(productId)
            .orElseThrow(() -> ApiError.noProduct(productId));
        LockedProduct locked = new LockedProduct(h, product);
        T result = work.apply(locked);
        if (locked.stockChanged()) {
          if (locked.stock() == 0) {
            rounds.soldOut(h, productId);
          }
          // Noted first: a write whose answer was lost may still have been made.
          written.set(locked.stockVersion());
          mirror.set(productId, locked.stock(), locked.stockVersion());
        }
        return result;
      });
    } catch (RuntimeException e) {
      if (written.get() != null) {
        forgetQuietly(productId, written.get());
      }
      throw e;
    }
  }

  private Product change(long productId, Function<Product, Integer> newStock) {
    return underLock(productId, locked -> {
      locked.setStock(newStock.apply(locked.product()));
      return locked.current();
    });
  }

  private void forgetQuietly(long productId, long written) {
    try {
      mirror.forget(productId, written);
    } catch (RuntimeException ignored) {
      // Redis is down too; the send loop reloads the copy from MySQL when it next reaches Redis.
    }
  }

  /** A product whose row this transaction has locked. */
  public static final class LockedProduct {
    private final Handle handle;
    private final Product product;
    private int stock;
    private int round;
    private long stockVersion;

    LockedProduct(Handle handle, VersionedProduct read) {
      this.handle = handle;
      this.product = read.product();
      this.stock = product.stock();
      this.round = product.restockRound();
      this.stockVersion = read.stockVersion();
    }

    public Handle handle() {
      return handle;
    }

    public Product product() {
      return product;
    }

    public int stock() {
      return stock;
    }

    boolean stockChanged() {
      return stock != product.stock();
    }

    /** The row's version after this transaction's writes: each one adds 1 (setStockAndRound). */
    long stockVersion() {
      return stockVersion;
    }

    public void setStock(int newStock) {
      stock = newStock;
      write();
    }

    /**
     * Adds {@code added} to the stock and starts the next round number; returns that number. Both
     * columns are INT: a sum past Integer.MAX_VALUE is refused rather than wrapped negative.
     */
    public int restock(int added) {
      if (added > Integer.MAX_VALUE - stock) {
        throw ApiError.badRequest("Adding " + added + " to the stock of " + stock
            + " would exceed the most it can hold, " + Integer.MAX_VALUE);
      }
      if (product.restockRound() == Integer.MAX_VALUE) {
        throw ApiError.conflict("ROUND_LIMIT", "Product " + product.id()
            + " has had the most restock rounds it can count (" + Integer.MAX_VALUE + ")");
      }
      stock += added;
      round = product.restockRound() + 1;
      write();
      return round;
    }

    private void write() {
      new ProductDao(handle).setStockAndRound(product.id(), stock, round);
      stockVersion++;
    }

    public Product current() {
      return new Product(product.id(), product.name(), stock, round);
    }
  }
}
