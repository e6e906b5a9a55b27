package io.restock.subscription;

import java.time.LocalDateTime;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Subscriptions, always found by the unique key (product_id, user_id). On the handle's fluent API
 * rather than a SQL object for the reason ProductDao gives: a sale's new subscribers come here.
 */
public final class SubscriptionDao {
  private final Handle handle;

  public SubscriptionDao(Handle handle) {
    this.handle = handle;
  }

  /**
   * 1 when the row is new; 0 when the user already has one (active or not), and 0 when there is
   * no such product: IGNORE turns the foreign key's refusal into a warning as well.
   */
  public int insertIfAbsent(long productId, long userId) {
    return handle.createUpdate("""
            INSERT IGNORE INTO product_user_notification
              (product_id, user_id, is_active, created_at, updated_at)
            VALUES (:productId, :userId, TRUE, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))""")
        .bind("productId", productId).bind("userId", userId).execute();
  }

  /** Re-activates unsubscribed users in a range and moves them to the back of the order. */
  public int reactivate(long productId, long fromUser, long toUser) {
    return handle.createUpdate("""
            UPDATE product_user_notification
            SET is_active = TRUE, created_at = UTC_TIMESTAMP(6), updated_at = UTC_TIMESTAMP(6)
            WHERE product_id = :productId AND user_id BETWEEN :fromUser AND :toUser
              AND is_active = FALSE""")
        .bind("productId", productId).bind("fromUser", fromUser).bind("toUser", toUser)
        .execute();
  }

  public int deactivate(long productId, long userId) {
    return handle.createUpdate("""
            UPDATE product_user_notification
            SET is_active = FALSE, updated_at = UTC_TIMESTAMP(6)
            WHERE product_id = :productId AND user_id = :userId AND is_active = TRUE""")
        .bind("productId", productId).bind("userId", userId).execute();
  }

  /** Active subscriptions among users from..to, counted along the unique key. */
  public int countActive(long productId, long fromUser, long toUser) {
    return handle.createQuery("""
            SELECT COUNT(*) FROM product_user_notification
            WHERE product_id = :productId AND user_id BETWEEN :fromUser AND :toUser
              AND is_active = TRUE""")
        .bind("productId", productId).bind("fromUser", fromUser).bind("toUser", toUser)
        .mapTo(Integer.class).one();
  }

  /**
   * MySQL's clock, which every created_at comes from, so one clock decides subscription order.
   * Reads no table: there is no index to use, and nothing for ExplainTest to explain.
   */
  public LocalDateTime now() {
    return handle.createQuery("SELECT UTC_TIMESTAMP(6)").mapTo(LocalDateTime.class).one();
  }

  /** One multi-row INSERT per batch (the driver rewrites it with rewriteBatchedStatements). */
  public void insertAll(long productId, long[] userIds, LocalDateTime now) {
    PreparedBatch batch = handle.prepareBatch("""
        INSERT IGNORE INTO product_user_notification
          (product_id, user_id, is_active, created_at, updated_at)
        VALUES (:productId, :userId, TRUE, :now, :now)""");
    for (long userId : userIds) {
      batch.bind("productId", productId).bind("userId", userId).bind("now", now).add();
    }
    batch.execute();
  }

  /** Active subscribers of a product, by idx_subscription_send_order (product_id, is_active). */
  public int countActive(long productId) {
    return handle.createQuery("""
            SELECT COUNT(*) FROM product_user_notification
            WHERE product_id = :productId AND is_active = TRUE""")
        .bind("productId", productId).mapTo(Integer.class).one();
  }
}
