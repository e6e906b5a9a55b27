package io.restock.product;

import io.restock.infra.ApiError;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Every change to a product's stock: under the product's row lock, MySQL first, the Redis copy
 * second, then commit. If the commit fails after the copy was written, the copy is dropped so the
 * send loop reloads it from MySQL.
 */
public final class StockChanges {
  /**
   * Told, in the transaction and under the row lock, when a change leaves the product with no
   * stock: a round waiting between waves ends there (the rounds live in a package above this one).
   */
  public interface SoldOut {
    void soldOut(Handle handle, long productId);
  }

  private final Jdbi jdbi;
  private final StockMirror mirror;
  private final SoldOut soldOut;

  public StockChanges(Jdbi jdbi, StockMirror mirror, SoldOut soldOut) {
    this.jdbi = jdbi;
    this.mirror = mirror;
    this.soldOut = soldOut;
  }

  public Product create(String name, int stock) {
    return jdbi.inTransaction(h -> {
      ProductDao products = h.attach(ProductDao.class);
      long id = products.insert(name, stock);
      mirror.set(id, stock);
      return products.find(id).orElseThrow();
    });
  }

  public Product setStock(long productId, int stock) {
    return change(productId, product -> stock);
  }

  public Product purchase(long productId, int quantity) {
    return change(productId, product -> {
      if (product.stock() < quantity) {
        throw ApiError.conflict("INSUFFICIENT_STOCK",
            "Only " + product.stock() + " left of product " + productId + ", asked for " + quantity);
      }
      return product.stock() - quantity;
    });
  }

  /**
   * Runs {@code work} in a transaction that holds the product's row lock, and mirrors the stock it
   * leaves behind. Used by stock changes here and by the restock trigger.
   */
  public <T> T underLock(long productId, Function<LockedProduct, T> work) {
    AtomicReference<Integer> written = new AtomicReference<>();
    try {
      return jdbi.inTransaction(h -> {
        Product product = h.attach(ProductDao.class).lock(productId)
            .orElseThrow(() -> ApiError.noProduct(productId));
        LockedProduct locked = new LockedProduct(h, product);
        T result = work.apply(locked);
        if (locked.stockChanged()) {
          if (locked.stock() == 0) {
            soldOut.soldOut(h, productId);
          }
          mirror.set(productId, locked.stock());
          written.set(locked.stock());
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

  private void forgetQuietly(long productId, int written) {
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

    LockedProduct(Handle handle, Product product) {
      this.handle = handle;
      this.product = product;
      this.stock = product.stock();
      this.round = product.restockRound();
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

    public void setStock(int newStock) {
      stock = newStock;
      handle.attach(ProductDao.class).setStockAndRound(product.id(), stock, round);
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
      handle.attach(ProductDao.class).setStockAndRound(product.id(), stock, round);
      return round;
    }

    public Product current() {
      return new Product(product.id(), product.name(), stock, round);
    }
  }
}
