package io.restock.dispatch;

import io.restock.round.CursorStore;
import io.restock.round.RestockRound;
import io.restock.round.RoundDao;
import io.restock.round.RoundMetrics;
import io.restock.round.RoundOwner;
import io.restock.round.SendCursor;
import io.restock.round.UserHistoryDao;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a run of a round begins and what it leaves behind. A run that died (kill -9, a lost lease)
 * may have had messages out that MySQL never recorded; the sent log in Redis names them, and they
 * are recorded before the first new message, so none is sent twice. One whose answer was seen is
 * recorded as told; one that left with no answer seen is recorded too, marked unconfirmed: it most
 * likely arrived (it had left), but nobody can know, and sending it again could tell someone twice.
 */
public final class RoundHandOver {
  private static final Logger log = LoggerFactory.getLogger(RoundHandOver.class);

  /** Where a run starts: the cursor, and the last send number it has used. */
  record Start(SendCursor cursor, long lastSeq) {}

  private final Jdbi jdbi;
  private final SentLog sentLog;
  private final CursorStore cursors;
  private final RoundMetrics metrics;
  private final Clock clock;

  public RoundHandOver(Jdbi jdbi, SentLog sentLog, CursorStore cursors, RoundMetrics metrics,
      Clock clock) {
    this.clock = clock;
    this.jdbi = jdbi;
    this.sentLog = sentLog;
    this.cursors = cursors;
    this.metrics = metrics;
  }

  /**
   * Records what a lost run sent, then resumes from the Redis cursor if it is there, else from what
   * MySQL last synced; either way the count is what the history holds, and users recorded past the
   * cursor are skipped by the send order.
   */
  Start take(RestockRound round, RoundOwner owner) {
    long productId = round.productId();
    int number = round.restockRound();
    SentLog.Unrecorded logged = sentLog.unrecorded(productId, number);
    long lastSeq = owner.firstSeq();
    if (!logged.isEmpty()) {
      SentLog.Unrecorded lost = jdbi.inTransaction(h -> {
        UserHistoryDao history = h.attach(UserHistoryDao.class);
        // A log entry whose removal Redis missed (or an earlier hand-over that could not delete
        // the log) names users MySQL already has: they are not new, and not unconfirmed.
        Set<Long> recorded = history.recordedAmong(productId, number, logged.users());
        SentLog.Unrecorded fresh = logged.without(recorded);
        long seq = owner.firstSeq();
        insert(history, round, fresh.answered(), seq, true);
        insert(history, round, fresh.unanswered(), seq + fresh.answered().size(), false);
        h.attach(RoundDao.class).addUnconfirmed(productId, number, owner.epoch(),
            fresh.unanswered().size());
        return fresh;
      });
      sentLog.forget(owner);
      lastSeq += lost.users().size();
      metrics.unconfirmed(lost.unanswered().size());
      log.info("Round {}/{}: recorded {} sends a lost run made", productId, number,
          lost.answered().size());
      if (!lost.unanswered().isEmpty()) {
        log.warn("Round {}/{}: {} messages had left when their run was lost, with no answer seen;"
            + " recorded as told and unconfirmed, not sent again: users {}", productId, number,
            lost.unanswered().size(), lost.unanswered());
      }
    }
    SendCursor synced = cursors.find(productId, number).orElse(round.cursor());
    SendCursor start = new SendCursor(synced.lastUserId(), synced.lastPosition(),
        jdbi.onDemand(UserHistoryDao.class).count(productId, number));
    return new Start(start, lastSeq);
  }

  /**
   * Called once a run has had every answer and MySQL holds every success: what is left in the sent
   * log (a withdrawal Redis missed) is of no use to the next run, and would mislead it.
   */
  void release(RoundOwner owner) {
    sentLog.forget(owner);
  }

  private void insert(UserHistoryDao history, RestockRound round, List<Long> users,
      long afterSeq, boolean confirmed) {
    history.insertAll(round.productId(), round.restockRound(), users,
        LongStream.rangeClosed(afterSeq + 1, afterSeq + users.size()).boxed().toList(),
        Collections.nCopies(users.size(), LocalDateTime.now(clock)), confirmed);
  }
}
