package io.restock.round;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/** Rounds (product_notification_history), found by the unique key (product_id, restock_round). */
@RegisterConstructorMapper(RestockRound.class)
public interface RoundDao {
  String COLUMNS = """
      product_id, restock_round, status, start_after_created_at, start_after_subscription_id,
      last_notified_user_id, last_notified_created_at, last_notified_subscription_id,
      notified_count, unconfirmed_count, rejected_count, total_subscribers, started_at, finished_at,
      resumed_at, notified_at_resume, waves_sent, wave_ends_at_count, next_wave_at,
      conversions, units_sold
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

  /**
   * A run's write of the round's end (or of where it left off), by the unique key; only while
   * the run's epoch is the round's latest, so a run that lost the round writes nothing.
   */
  @SqlUpdate("""
      UPDATE product_notification_history
      SET status = :status, last_notified_user_id = :lastUserId,
          last_notified_created_at = :lastAt, last_notified_subscription_id = :lastSubscriptionId,
          notified_count = :count,
          finished_at = CASE WHEN :status = 'IN_PROGRESS' THEN NULL ELSE UTC_TIMESTAMP(6) END
      WHERE product_id = :productId AND restock_round = :round AND owner_epoch = :epoch""")
  int save(@Bind("productId") long productId, @Bind("round") int round, @Bind("epoch") long epoch,
      @Bind("status") RoundStatus status, @Bind("lastUserId") Long lastUserId,
      @Bind("lastAt") LocalDateTime lastAt, @Bind("lastSubscriptionId") Long lastSubscriptionId,
      @Bind("count") int count);

  /** By the unique key, fenced as {@link #save}. */
  @SqlUpdate("""
      UPDATE product_notification_history SET unconfirmed_count = unconfirmed_count + :count
      WHERE product_id = :productId AND restock_round = :round AND owner_epoch = :epoch""")
  int addUnconfirmed(@Bind("productId") long productId, @Bind("round") int round,
      @Bind("epoch") long epoch, @Bind("count") int count);

  /** A stopped round is sent on (admin resend), by the unique key; the product's lock is held. */
  @SqlUpdate("""
      UPDATE product_notification_history
      SET status = 'IN_PROGRESS', finished_at = NULL, resumed_at = UTC_TIMESTAMP(6),
          notified_at_resume = notified_count
      WHERE product_id = :productId AND restock_round = :round""")
  void reopen(@Bind("productId") long productId, @Bind("round") int round);

  /** The wave this run starts stops at this notified count; by the unique key, fenced. */
  @SqlUpdate("""
      UPDATE product_notification_history SET wave_ends_at_count = :endsAt
      WHERE product_id = :productId AND restock_round = :round AND owner_epoch = :epoch""")
  int startWave(@Bind("productId") long productId, @Bind("round") int round,
      @Bind("epoch") long epoch, @Bind("endsAt") int endsAtCount);

  /**
   * The wave being sent is over ({@code wavesAdded} 1) or none started (0); the round waits for
   * {@code nextAt}, or (null) waits for nothing. By the unique key, fenced as {@link #save}.
   */
  @SqlUpdate("""
      UPDATE product_notification_history
      SET waves_sent = waves_sent + :wavesAdded, wave_ends_at_count = NULL, next_wave_at = :nextAt
      WHERE product_id = :productId AND restock_round = :round AND owner_epoch = :epoch""")
  int endWave(@Bind("productId") long productId, @Bind("round") int round,
      @Bind("epoch") long epoch, @Bind("wavesAdded") int wavesAdded,
      @Bind("nextAt") LocalDateTime nextAt);

  /** Rounds whose next wave is due, by idx_round_next_wave (only waiting rounds have one). */
  @SqlQuery("SELECT " + COLUMNS + """
      FROM product_notification_history
      WHERE next_wave_at <= :now LIMIT :limit""")
  List<RestockRound> dueWaves(@Bind("now") LocalDateTime now, @Bind("limit") int limit);

  /**
   * Takes a due wave for this instance to queue, by the unique key: 1 for the one instance whose
   * update saw the time it read, 0 for any other.
   */
  @SqlUpdate("""
      UPDATE product_notification_history SET next_wave_at = NULL
      WHERE product_id = :productId AND restock_round = :round AND next_wave_at = :seen""")
  int takeDueWave(@Bind("productId") long productId, @Bind("round") int round,
      @Bind("seen") LocalDateTime seen);

  /**
   * The product sold out while a round waited between waves: it ends there (rule 9). Rounds of
   * the product by the unique key's prefix; the product's row lock is held.
   */
  @SqlUpdate("""
      UPDATE product_notification_history
      SET status = 'CANCELED_BY_SOLD_OUT', next_wave_at = NULL, wave_ends_at_count = NULL,
          finished_at = UTC_TIMESTAMP(6)
      WHERE product_id = :productId AND status = 'IN_PROGRESS' AND next_wave_at IS NOT NULL""")
  int endWaitingSoldOut(@Bind("productId") long productId);

  /** By the unique key: the next epoch, for a run that has just taken the round's lease. */
  @SqlUpdate("""
      UPDATE product_notification_history SET owner_epoch = owner_epoch + 1
      WHERE product_id = :productId AND restock_round = :round AND status = 'IN_PROGRESS'""")
  int nextEpoch(@Bind("productId") long productId, @Bind("round") int round);

  @SqlQuery("""
      SELECT owner_epoch FROM product_notification_history
      WHERE product_id = :productId AND restock_round = :round""")
  long epoch(@Bind("productId") long productId, @Bind("round") int round);

  /**
   * Claims the round for the run holding its lease: the epoch its writes will name, or empty if
   * the round is not live any more. In one transaction, so the epoch read is the one written.
   */
  @Transaction
  default OptionalLong claim(long productId, int round) {
    return nextEpoch(productId, round) == 1
        ? OptionalLong.of(epoch(productId, round)) : OptionalLong.empty();
  }

  /** False when the owner had lost the round: nothing was written. */
  default boolean save(RoundOwner owner, RoundStatus status, SendCursor cursor) {
    SendPosition last = cursor.lastPosition();
    return save(owner.productId(), owner.round(), owner.epoch(), status, cursor.lastUserId(),
        last == null ? null : last.createdAt(), last == null ? null : last.subscriptionId(),
        cursor.notifiedCount()) == 1;
  }
}
