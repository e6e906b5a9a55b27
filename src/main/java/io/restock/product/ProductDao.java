package io.restock.product;

import io.restock.infra.ApiError;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.QueryTimeOut;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Products by primary key; every statement here is a single-row lookup or update on it. */
@RegisterConstructorMapper(Product.class)
public interface ProductDao {
  int TAKE_TIMEOUT_SECONDS = 5;

  @SqlUpdate("""
      INSERT INTO product (name, stock, restock_round, created_at)
      VALUES (:name, :stock, 0, UTC_TIMESTAMP(6))""")
  @GetGeneratedKeys
  long insert(@Bind("name") String name, @Bind("stock") int stock);

  @SqlQuery("SELECT id, name, stock, restock_round FROM product WHERE id = :id")
  Optional<Product> find(@Bind("id") long id);

  /** The product, or the API's 404 for it. */
  default Product require(long id) {
    return find(id).orElseThrow(() -> ApiError.noProduct(id));
  }

  @SqlQuery("SELECT id, name, stock, restock_round, stock_version FROM product WHERE id = :id")
  @RegisterConstructorMapper(VersionedProduct.class)
  Optional<VersionedProduct> findVersioned(@Bind("id") long id);

  /** Locks the row for the rest of the transaction: stock and round changes go one at a time. */
  @SqlQuery("""
      SELECT id, name, stock, restock_round, stock_version FROM product WHERE id = :id FOR UPDATE""")
  @RegisterConstructorMapper(VersionedProduct.class)
  Optional<VersionedProduct> lock(@Bind("id") long id);

  /**
   * A purchase in one statement: 1 if the stock had enough, 0 if not (or no such product). Run
   * on its own it commits at once, so the row is locked only while MySQL runs it, not while this
   * process is scheduled between statements: purchases of one product queue on that lock. It
   * gives up (503) after {@link #TAKE_TIMEOUT_SECONDS}, well before its ticket on the Redis copy
   * would lapse (StockMirror).
   */
  @SqlUpdate("""
      UPDATE product SET stock = stock - :quantity, stock_version = stock_version + 1
      WHERE id = :id AND stock >= :quantity""")
  @QueryTimeOut(TAKE_TIMEOUT_SECONDS)
  int take(@Bind("id") long id, @Bind("quantity") int quantity);

  /**
   * Waits for any transaction that holds the product's row lock (a restock trigger) to finish, so
   * a job read right after it was queued sees the round that transaction wrote.
   */
  @SqlQuery("SELECT id FROM product WHERE id = :id LOCK IN SHARE MODE")
  Optional<Long> awaitWriters(@Bind("id") long id);

  /** By the primary key; a product without a row has no policy (the caller's 404). */
  @SqlQuery("""
      SELECT notify_per_unit AS per_unit, wave_interval_seconds, min_stock FROM product WHERE id = :id""")
  @RegisterConstructorMapper(NotificationPolicy.class)
  Optional<NotificationPolicy> policy(@Bind("id") long id);

  /** By the primary key. */
  @SqlUpdate("""
      UPDATE product SET notify_per_unit = :perUnit, wave_interval_seconds = :interval,
          min_stock = :minStock WHERE id = :id""")
  int setPolicy(@Bind("id") long id, @Bind("perUnit") Integer perUnit,
      @Bind("interval") int waveIntervalSeconds, @Bind("minStock") int minStock);

  @SqlUpdate("""
      UPDATE product SET stock = :stock, restock_round = :round, stock_version = stock_version + 1
      WHERE id = :id""")
  void setStockAndRound(@Bind("id") long id, @Bind("stock") int stock, @Bind("round") int round);
}
