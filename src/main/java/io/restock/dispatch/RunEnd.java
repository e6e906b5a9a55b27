package io.restock.dispatch;

import io.restock.product.ProductDao;
import io.restock.round.CursorStore;
import io.restock.round.RestockRound;
import io.restock.round.RoundDao;
import io.restock.round.RoundMetrics;
import io.restock.round.RoundOwner;
import io.restock.round.RoundStatus;
import io.restock.round.SendCursor;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run leaves when it stops, once every answer is in and recorded: the round's status and
 * cursor in MySQL (fenced by the run's epoch), then the round's working keys in Redis deleted,
 * the metrics and the end-of-round log line. A run that lost the round writes none of it.
 */
final class RunEnd {
  private static final Logger log = LoggerFactory.getLogger(RunEnd.class);

  private final Jdbi jdbi;
  private final RoundHandOver handOver;
  private final CursorStore cursors;
  private final RoundMetrics metrics;
  private final Clock clock;

  RunEnd(Jdbi jdbi, RoundHandOver handOver, CursorStore cursors, RoundMetrics metrics,
      Clock clock) {
    this.jdbi = jdbi;
    this.handOver = handOver;
    this.cursors = cursors;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * How a run leaves its round's waves (SPEC rule 9): {@code wavesEnded} (0 or 1) more sent;
   * the round then waits for {@code nextAt}, or (null) for nothing.
   */
  record WaveEnd(int wavesEnded, LocalDateTime nextAt) {}

  /** What the end of the run wrote: the status, and how it left the wave. */
  private record Written(RoundStatus status, WaveEnd wave) {}

  /**
   * @param end how the round ended, or null when the run stopped with the round still live
   * @param lost the run found its lease gone
   * @param wave how the run leaves the wave it sent; null: the wave goes on (handed back, or a
   *     round stopped by an error, whose resend finishes the wave)
   */
  RoundSender.Outcome write(RestockRound round, RoundOwner owner, SendCursor cursor,
      RoundStatus end, boolean lost, WaveEnd wave) {
    RoundStatus asked = end == null || lost ? RoundStatus.IN_PROGRESS : end;
    // What a lost run sent is in the history, which the new owner skips; the record is not ours.
    Written written = lost ? null : jdbi.inTransaction(h -> {
      RoundDao rounds = h.attach(RoundDao.class);
      RoundStatus status = asked;
      WaveEnd leaving = wave;
      // A purchase that emptied the stock while this wave's last answers came in found no waiting
      // round to end: read the stock under its row lock, as purchases write it.
      if (wave != null && wave.nextAt() != null && new ProductDao(h)
          .lock(owner.productId()).map(p -> p.product().stock() == 0).orElse(true)) {
        status = RoundStatus.CANCELED_BY_SOLD_OUT;
        leaving = new WaveEnd(wave.wavesEnded(), null);
      }
      boolean saved = rounds.save(owner, status, cursor) && (leaving == null || rounds.endWave(
          owner.productId(), owner.round(), owner.epoch(), leaving.wavesEnded(),
          leaving.nextAt()) == 1);
      return saved ? new Written(status, leaving) : null;
    });
    if (written == null) {
      log.warn("Round {}/{} was taken over by another run; this run stops and writes nothing",
          owner.productId(), owner.round());
      return RoundSender.Outcome.LOST;
    }
    RoundStatus status = written.status();
    WaveEnd waveLeft = written.wave();
    RoundStatus ended = status != asked ? status : end;
    handOver.release(owner);
    cursors.delete(owner);
    int waves = round.wavesSent() + (waveLeft == null ? 0 : waveLeft.wavesEnded());
    metrics.wavesSent(waveLeft == null ? 0 : waveLeft.wavesEnded());
    if (waveLeft != null && waveLeft.nextAt() != null) {
      log.info("Round {}/{} waits for its next wave at {}Z: {} of {} subscribers told in {} waves",
          owner.productId(), owner.round(), waveLeft.nextAt(), cursor.notifiedCount(),
          round.totalSubscribers(), waves);
      return RoundSender.Outcome.WAITING;
    }
    Duration took = Duration.between(round.sendingSince(), LocalDateTime.now(clock));
    metrics.roundEnded(status, took, waves);
    log.info("Round {}/{} {}: {} of {} subscribers told in {} waves, last user {}, {} s since it"
        + " started sending", owner.productId(), owner.round(),
        ended == null ? "handed back to the stream" : status, cursor.notifiedCount(),
        round.totalSubscribers(), waves, cursor.lastUserId(), took.toSeconds());
    return ended == null ? RoundSender.Outcome.LEFT : RoundSender.Outcome.ENDED;
  }
}
