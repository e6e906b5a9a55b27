package io.restock.round;

import java.time.LocalDateTime;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Purchases counted for the round that told the buyer (SPEC rule 10). */
public interface ConversionDao {
  /**
   * The latest round of the product that told this user and started after {@code since}: the
   * user's rounds newest first by idx_user_history_product_user, each round's start by
   * uk_round_product_round. Reads a user's few rounds, never the product's whole history.
   */
  @SqlQuery("""
      SELECT h.restock_round FROM product_user_notification_history h
      JOIN product_notification_history r
        ON r.product_id = h.product_id AND r.restock_round = h.restock_round
      WHERE h.product_id = :productId AND h.user_id = :userId AND r.started_at > :since
      ORDER BY h.restock_round DESC LIMIT 1""")
  Optional<Integer> latestRoundThatTold(@Bind("productId") long productId,
      @Bind("userId") long userId, @Bind("since") LocalDateTime since);

  /** 1 for a new buyer of the round, 0 for one already counted (uk_conversion_round_user). */
  @SqlUpdate("""
      INSERT IGNORE INTO product_round_conversion (product_id, restock_round, user_id, converted_at)
      VALUES (:productId, :round, :userId, UTC_TIMESTAMP(6))""")
  int recordBuyer(@Bind("productId") long productId, @Bind("round") int round,
      @Bind("userId") long userId);

  /** By the unique key; not fenced: no run writes these columns. */
  @SqlUpdate("""
      UPDATE product_notification_history
      SET conversions = conversions + :newBuyers, units_sold = units_sold + :units
      WHERE product_id = :productId AND restock_round = :round""")
  void count(@Bind("productId") long productId, @Bind("round") int round,
      @Bind("newBuyers") int newBuyers, @Bind("units") int units);
}
