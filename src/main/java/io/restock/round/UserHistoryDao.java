package io.restock.round;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Who was told in a round (product_user_notification_history). */
public interface UserHistoryDao {
  record Row(long userId, long sendSeq, boolean confirmed) {}

  /**
   * Batched; the unique key (product, round, user) makes a repeated row harmless. Unconfirmed:
   * the message left, but its run was lost before the provider's answer was seen.
   */
  @SqlBatch("""
      INSERT IGNORE INTO product_user_notification_history
        (product_id, restock_round, user_id, send_seq, notified_at, confirmed)
      VALUES (:productId, :round, :userId, :seq, :at, :confirmed)""")
  void insertAll(@Bind("productId") long productId, @Bind("round") int round,
      @Bind("userId") List<Long> userIds, @Bind("seq") List<Long> seqs,
      @Bind("at") List<LocalDateTime> at, @Bind("confirmed") boolean confirmed);

  /** Which of these users the round's history has, by the unique key (product, round, user). */
  @SqlQuery("""
      SELECT user_id FROM product_user_notification_history
      WHERE product_id = :productId AND restock_round = :round AND user_id IN (<userIds>)""")
  Set<Long> recordedAmong(@Bind("productId") long productId, @Bind("round") int round,
      @BindList("userIds") List<Long> userIds);

  /** A keyset page in send order, by idx_user_history_send_order. */
  @SqlQuery("""
      SELECT user_id, send_seq, confirmed FROM product_user_notification_history
      WHERE product_id = :productId AND restock_round = :round AND send_seq > :afterSeq
      ORDER BY send_seq LIMIT :limit""")
  @org.jdbi.v3.sqlobject.config.RegisterConstructorMapper(Row.class)
  List<Row> page(@Bind("productId") long productId, @Bind("round") int round,
      @Bind("afterSeq") long afterSeq, @Bind("limit") int limit);

  @SqlQuery("""
      SELECT COUNT(*) FROM product_user_notification_history
      WHERE product_id = :productId AND restock_round = :round""")
  int count(@Bind("productId") long productId, @Bind("round") int round);
}
