package io.restock.product;

import io.restock.infra.ApiError;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Products by primary key; every statement here is a single-row lookup or update on it.
 *
 * <p>Written on the handle's fluent API rather than as a SQL object: product reads and purchases
 * are most of a sale's requests, and attaching a SQL object builds an invoker for each of its
 * methods on every call (a quarter of the API's CPU in the benchmark's rush, by JFR).
 */
public final class ProductDao {
  static final int TAKE_TIMEOUT_SECONDS = 5;

  private static final RowMapper<Product> PRODUCT = (rs, ctx) -> new Product(rs.getLong("id"),
      rs.getString("name"), rs.getInt("stock"), rs.getInt("restock_round"));
  private static final RowMapper<VersionedProduct> VERSIONED = (rs, ctx) ->
      new VersionedProduct(PRODUCT.map(rs, ctx), rs.getLong("stock_version"));

  private final Handle handle;

  public ProductDao(Handle handle) {
    this.handle = handle;
  }

  public long insert(String name, int stock) {
    return handle.createUpdate("""
            INSERT INTO product (name, stock, restock_round, created_at)
            VALUES (:name, :stock, 0, UTC_TIMESTAMP(6))""")
        .bind("name", name).bind("stock", stock)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  public Optional<Product> find(long id) {
    return handle.createQuery("SELECT id, name, stock, restock_round FROM product WHERE id = :id")
        .bind("id", id).map(PRODUCT).findOne();
  }

  /** The product, or the API's 404 for it. */
  public Product require(long id) {
    return find(id).orElseThrow(() -> ApiError.noProduct(id));
  }

  public Optional<VersionedProduct> findVersioned(long id) {
    return handle.createQuery("""
            SELECT id, name, stock, restock_round, stock_version FROM product WHERE id = :id""")
        .bind("id", id).map(VERSIONED).findOne();
  }

  /** Locks the row for the rest of the transaction: stock and round changes go one at a time. */
  public Optional<VersionedProduct> lock(long id) {
    return handle.createQuery("""
            SELECT id, name, stock, restock_round, stock_version FROM product WHERE id = :id
            FOR UPDATE""")
        .bind("id", id).map(VERSIONED).findOne();
  }

  /**
   * A purchase in one statement: 1 if the stock had enough, 0 if not (or no such product). Run
   * on its own it commits at once, so the row is locked only while MySQL runs it, not while this
   * process is scheduled between statements: purchases of one product queue on that lock. It
   * gives up (503) after {@link #TAKE_TIMEOUT_SECONDS}, well before its ticket on the Redis copy
   * would lapse (StockMirror).
   */
  public int take(long id, int quantity) {
    return handle.createUpdate("""
            UPDATE product SET stock = stock - :quantity, stock_version = stock_version + 1
            WHERE id = :id AND stock >= :quantity""")
        .bind("id", id).bind("quantity", quantity)
        .setQueryTimeout(TAKE_TIMEOUT_SECONDS).execute();
  }

  /**
   * Waits for any transaction that holds the product's row lock (a restock trigger) to finish, so
   * a job read right after it was queued sees the round that transaction wrote.
   */
  public void awaitWriters(long id) {
    handle.createQuery("SELECT id FROM product WHERE id = :id LOCK IN SHARE MODE")
        .bind("id", id).mapTo(Long.class).findOne();
  }

  /** By the primary key; a product without a row has no policy (the caller's 404). */
  public Optional<NotificationPolicy> policy(long id) {
    return handle.createQuery("""
            SELECT notify_per_unit AS per_unit, wave_interval_seconds, min_stock
            FROM product WHERE id = :id""")
        .bind("id", id)
        .map((rs, ctx) -> new NotificationPolicy(rs.getObject("per_unit", Integer.class),
            rs.getInt("wave_interval_seconds"), rs.getInt("min_stock")))
        .findOne();
  }

  /** By the primary key. */
  public int setPolicy(long id, Integer perUnit, int waveIntervalSeconds, int minStock) {
    return handle.createUpdate("""
            UPDATE product SET notify_per_unit = :perUnit, wave_interval_seconds = :interval,
                min_stock = :minStock WHERE id = :id""")
        .bind("id", id).bind("perUnit", perUnit).bind("interval", waveIntervalSeconds)
        .bind("minStock", minStock).execute();
  }

  public void setStockAndRound(long id, int stock, int round) {
    handle.createUpdate("""
            UPDATE product SET stock = :stock, restock_round = :round, stock_version = stock_version + 1
            WHERE id = :id""")
        .bind("id", id).bind("stock", stock).bind("round", round).execute();
  }
}
