package io.restock.dispatch;

import io.restock.infra.DaemonThreads;
import io.restock.jobs.RestockJobs;
import io.restock.round.RestockRound;
import io.restock.round.RoundDao;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MySQL is the record of truth: a round it holds as IN_PROGRESS must have a job in the stream or
 * an owner. After Redis lost its data, or a hand-off that could not reach Redis, neither is true;
 * this sweep finds such rounds (at start and then periodically) and queues them again.
 */
public final class RecoverySweep implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RecoverySweep.class);
  static final long EVERY_SECONDS = 10;
  /** How often due waves are looked for: a wave starts within about this long of its time. */
  private static final long WAVES_EVERY_MILLIS = 500;
  private static final int DUE_WAVES_PER_LOOK = 100;

  private final Jdbi jdbi;
  private final RestockJobs jobs;
  private final RoundLeases leases;
  /** Rounds seen with no job and no owner by the last sweep. */
  private Set<String> suspects = Set.of();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("recovery-sweep"));

  private final Clock clock;

  public RecoverySweep(Jdbi jdbi, RestockJobs jobs, RoundLeases leases, Clock clock) {
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.leases = leases;
    this.clock = clock;
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::sweepQuietly, 0, EVERY_SECONDS, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(this::queueDueWavesQuietly, 0, WAVES_EVERY_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * The wave timer: queues the rounds whose next wave is due (SPEC rule 9). The wait is only a
   * time in MySQL, so whichever instance is alive starts the wave; each due wave is taken by one
   * instance's update. A take whose job Redis then refused leaves the round with no job and no
   * owner, which the sweep queues again.
   */
  int queueDueWaves() {
    RoundDao rounds = jdbi.onDemand(RoundDao.class);
    int queued = 0;
    for (RestockRound round : rounds.dueWaves(LocalDateTime.now(clock), DUE_WAVES_PER_LOOK)) {
      if (rounds.takeDueWave(round.productId(), round.restockRound(), round.nextWaveAt()) == 1) {
        jobs.publish(round.productId(), round.restockRound());
        queued++;
      }
    }
    return queued;
  }

  private void queueDueWavesQuietly() {
    try {
      queueDueWaves();
    } catch (RuntimeException e) {
      // Twice a second during an outage: the sweep's WARN every 10 s already says what is down.
      log.debug("Wave timer skipped a look: {}", e.toString());
    }
  }

  /**
   * Queues every live round that had neither a job nor an owner on this sweep and the one before
   * (10 s apart, longer than a lease): an owner that lost its lease with Redis's data starts a
   * fresh run of the round within a second, and must not find a second owner sending it.
   */
  public synchronized int sweep() {
    jobs.ensureGroup();
    Set<String> queued = jobs.queued().stream()
        .map(job -> job.productId() + ":" + job.round()).collect(Collectors.toSet());
    Set<String> orphans = new HashSet<>();
    int requeued = 0;
    for (RestockRound round : jdbi.onDemand(RoundDao.class).inProgress()) {
      long productId = round.productId();
      int number = round.restockRound();
      String key = productId + ":" + number;
      // A round waiting for its next wave has neither by design: the wave timer queues it.
      if (round.waitingForWave() || queued.contains(key) || leases.isHeld(productId, number)) {
        continue;
      }
      if (suspects.contains(key)) {
        jobs.publish(productId, number);
        requeued++;
        log.info("Round {}/{} had no job and no owner; queued it again", productId, number);
      } else {
        orphans.add(key);
      }
    }
    suspects = orphans;
    return requeued;
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("Recovery sweep skipped: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
