package io.restock.notification;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Rounds (product_notification_history), found by the unique key (product_id, restock_round). */
@RegisterConstructorMapper(RestockRound.class)
public interface RoundDao {
  String COLUMNS = """
      product_id, restock_round, status, start_after_created_at, start_after_subscription_id,
      last_notified_user_id, last_notified_created_at, last_notified_subscription_id,
      notified_count, unconfirmed_count, total_subscribers, started_at, finished_at
      """;

  @SqlUpdate("""
      INSERT INTO product_notification_history
        (product_id, restock_round, status, start_after_created_at, start_after_subscription_id,
         total_subscribers, started_at)
      VALUES (:productId, :round, 'IN_PROGRESS', :startAfterAt, :startAfterId, :total, UTC_TIMESTAMP(6))""")
  void insert(@Bind("productId") long productId, @Bind("round") int round,
      @Bind("startAfterAt") LocalDateTime startAfterAt, @Bind("startAfterId") Long startAfterId,
      @Bind("total") int totalSubscribers);

  @SqlQuery("SELECT " + COLUMNS + """
      FROM product_notification_history
      WHERE product_id = :productId AND restock_round = :round""")
  Optional<RestockRound> find(@Bind("productId") long productId, @Bind("round") int round);

  /** Walks the unique key backwards: the newest round without a sort. */
  @SqlQuery("SELECT " + COLUMNS + """
      FROM product_notification_history
      WHERE product_id = :productId ORDER BY restock_round DESC LIMIT 1""")
  Optional<RestockRound> latest(@Bind("productId") long productId);

  @SqlQuery("SELECT " + COLUMNS + """
      FROM product_notification_history
      WHERE product_id = :productId ORDER BY restock_round DESC LIMIT :limit""")
  List<RestockRound> newestFirst(@Bind("productId") long productId, @Bind("limit") int limit);

  /** Rounds left running, by idx_round_status: the recovery sweep looks for ones with no owner. */
  @SqlQuery("SELECT " + COLUMNS + """
      FROM product_notification_history WHERE status = 'IN_PROGRESS'""")
  List<RestockRound> inProgress();

  @SqlUpdate("""
      UPDATE product_notification_history
      SET status = :status, last_notified_user_id = :lastUserId,
          last_notified_created_at = :lastAt, last_notified_subscription_id = :lastSubscriptionId,
          notified_count = :count,
          finished_at = CASE WHEN :status = 'IN_PROGRESS' THEN NULL ELSE UTC_TIMESTAMP(6) END
      WHERE product_id = :productId AND restock_round = :round""")
  void save(@Bind("productId") long productId, @Bind("round") int round,
      @Bind("status") RoundStatus status, @Bind("lastUserId") Long lastUserId,
      @Bind("lastAt") LocalDateTime lastAt, @Bind("lastSubscriptionId") Long lastSubscriptionId,
      @Bind("count") int count);

  @SqlUpdate("""
      UPDATE product_notification_history SET unconfirmed_count = unconfirmed_count + :count
      WHERE product_id = :productId AND restock_round = :round""")
  void addUnconfirmed(@Bind("productId") long productId, @Bind("round") int round,
      @Bind("count") int count);

  default void save(long productId, int round, RoundStatus status, SendCursor cursor) {
    SendPosition last = cursor.lastPosition();
    save(productId, round, status, cursor.lastUserId(),
        last == null ? null : last.createdAt(), last == null ? null : last.subscriptionId(),
        cursor.notifiedCount());
  }
}
