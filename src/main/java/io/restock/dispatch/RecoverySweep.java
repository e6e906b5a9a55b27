package io.restock.dispatch;

import io.restock.jobs.RestockJobs;
import io.restock.round.RestockRound;
import io.restock.round.RoundDao;
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

  private final Jdbi jdbi;
  private final RestockJobs jobs;
  private final RoundLeases leases;
  /** Rounds seen with no job and no owner by the last sweep. */
  private Set<String> suspects = Set.of();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "recovery-sweep");
    thread.setDaemon(true);
    return thread;
  });

  public RecoverySweep(Jdbi jdbi, RestockJobs jobs, RoundLeases leases) {
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.leases = leases;
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::sweepQuietly, 0, EVERY_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Queues every live round that had neither a job nor an owner on this sweep and the one before
   * (10 s apart, longer than a lease): an owner that lost its lease with Redis's data takes it
   * back within a second, and must not find a second owner sending the same round.
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
      if (queued.contains(key) || leases.isHeld(productId, number)) {
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
