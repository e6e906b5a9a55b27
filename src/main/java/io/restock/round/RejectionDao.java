package io.restock.round;

import java.time.LocalDateTime;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Recipients the provider refused for good, per round (product_user_notification_rejection). */
public interface RejectionDao {
  record Row(long id, long userId, int providerStatus) {}

  /** Batched; the unique key (product, round, user) makes a repeat harmless. */
  @SqlBatch("""
      INSERT IGNORE INTO product_user_notification_rejection
        (product_id, restock_round, user_id, provider_status, rejected_at)
      VALUES (:productId, :round, :userId, :status, :at)""")
  void insertAll(@Bind("productId") long productId, @Bind("round") int round,
      @Bind("userId") List<Long> userIds, @Bind("status") List<Integer> statuses,
      @Bind("at") List<LocalDateTime> at);

  /**
   * The round's count, counted again rather than added to (a batch's update counts do not say
   * which rows were new): its row by uk_round_product_round, the rejections by a range of
   * uk_rejection_round_user, only as many as the round has.
   */
  @SqlUpdate("""
      UPDATE product_notification_history SET rejected_count = (
        SELECT COUNT(*) FROM product_user_notification_rejection
        WHERE product_id = :productId AND restock_round = :round)
      WHERE product_id = :productId AND restock_round = :round""")
  void recount(@Bind("productId") long productId, @Bind("round") int round);

  /** A keyset page in the order they came, by idx_rejection_order. */
  @SqlQuery("""
      SELECT id, user_id, provider_status FROM product_user_notification_rejection
      WHERE product_id = :productId AND restock_round = :round AND id > :afterId
      ORDER BY id LIMIT :limit""")
  @RegisterConstructorMapper(Row.class)
  List<Row> page(@Bind("productId") long productId, @Bind("round") int round,
      @Bind("afterId") long afterId, @Bind("limit") int limit);
}
