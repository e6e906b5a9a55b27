package io.restock.subscription;

import java.time.LocalDateTime;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Subscriptions, always found by the unique key (product_id, user_id). */
public interface SubscriptionDao {
  /** 1 when the row is new, 0 when the user already has one (active or not). */
  @SqlUpdate("""
      INSERT IGNORE INTO product_user_notification
        (product_id, user_id, is_active, created_at, updated_at)
      VALUES (:productId, :userId, TRUE, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))""")
  int insertIfAbsent(@Bind("productId") long productId, @Bind("userId") long userId);

  /** Re-activates unsubscribed users in a range and moves them to the back of the order. */
  @SqlUpdate("""
      UPDATE product_user_notification
      SET is_active = TRUE, created_at = UTC_TIMESTAMP(6), updated_at = UTC_TIMESTAMP(6)
      WHERE product_id = :productId AND user_id BETWEEN :fromUser AND :toUser AND is_active = FALSE""")
  int reactivate(@Bind("productId") long productId, @Bind("fromUser") long fromUser,
      @Bind("toUser") long toUser);

  @SqlUpdate("""
      UPDATE product_user_notification
      SET is_active = FALSE, updated_at = UTC_TIMESTAMP(6)
      WHERE product_id = :productId AND user_id = :userId AND is_active = TRUE""")
  int deactivate(@Bind("productId") long productId, @Bind("userId") long userId);

  /** Active subscriptions among users from..to, counted along the unique key. */
  @SqlQuery("""
      SELECT COUNT(*) FROM product_user_notification
      WHERE product_id = :productId AND user_id BETWEEN :fromUser AND :toUser AND is_active = TRUE""")
  int countActive(@Bind("productId") long productId, @Bind("fromUser") long fromUser,
      @Bind("toUser") long toUser);

  /**
   * MySQL's clock, which every created_at comes from, so one clock decides subscription order.
   * Reads no table: there is no index to use, and nothing for ExplainTest to explain.
   */
  @SqlQuery("SELECT UTC_TIMESTAMP(6)")
  LocalDateTime now();

  /** One multi-row INSERT per batch (the driver rewrites it with rewriteBatchedStatements). */
  @SqlBatch("""
      INSERT IGNORE INTO product_user_notification
        (product_id, user_id, is_active, created_at, updated_at)
      VALUES (:productId, :userId, TRUE, :now, :now)""")
  void insertAll(@Bind("productId") long productId, @Bind("userId") long[] userIds,
      @Bind("now") LocalDateTime now);

  /** Active subscribers of a product, by idx_subscription_send_order (product_id, is_active). */
  @SqlQuery("""
      SELECT COUNT(*) FROM product_user_notification
      WHERE product_id = :productId AND is_active = TRUE""")
  int countActive(@Bind("productId") long productId);
}
