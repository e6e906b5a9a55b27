package io.restock.dispatch;

import io.restock.infra.Redis;
import io.restock.jobs.RestockJobs;
import io.restock.product.ProductDao;
import io.restock.round.RestockRound;
import io.restock.round.RoundDao;
import io.restock.round.RoundOwner;
import io.restock.round.RoundStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fixed pool of consumer threads. Each takes one job at a time from the stream (a job a dead
 * instance left behind first, then new ones), leases its round, and runs the send loop. A job is
 * acknowledged only after MySQL holds the round's end; on shutdown the round is handed back to
 * the stream for another instance.
 */
public final class RestockWorkers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RestockWorkers.class);
  /**
   * A pending job untouched this long belongs to a dead consumer: owners touch theirs every
   * second. Together with the lease's expiry this bounds recovery after a crash to ~5-7 s.
   */
  static final long CLAIM_IDLE_MILLIS = 5_000;
  private static final long CLAIM_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);
  static final long TURN_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final Jdbi jdbi;
  private final RestockJobs jobs;
  private final RoundLeases leases;
  private final RoundSender sender;
  private final String consumer = "restock-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  public RestockWorkers(Jdbi jdbi, RestockJobs jobs, RoundLeases leases, RoundSender sender,
      int threadCount) {
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.leases = leases;
    this.sender = sender;
    for (int i = 0; i < threadCount; i++) {
      threads.add(new Thread(this::consume, "restock-worker-" + i));
    }
  }

  public String consumerName() {
    return consumer;
  }

  public void start() {
    threads.forEach(Thread::start);
  }

  private void consume() {
    long nextClaim = 0;
    while (running) {
      try {
        List<RestockJobs.Job> taken = List.of();
        if (System.nanoTime() >= nextClaim) {
          taken = jobs.claimAbandoned(consumer, CLAIM_IDLE_MILLIS);
          nextClaim = System.nanoTime() + CLAIM_EVERY_NANOS;
        }
        if (taken.isEmpty()) {
          taken = jobs.readNew(consumer, Redis.BLOCK_MILLIS);
        }
        for (RestockJobs.Job job : taken) {
          process(job);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // Redis or MySQL is away: wait and carry on, the thread must outlive the outage.
        log.warn("Consumer {} could not take work: {}", Thread.currentThread().getName(), e.toString());
        sleepQuietly();
      }
    }
  }

  private void process(RestockJobs.Job job) throws InterruptedException {
    long productId = job.productId();
    int round = job.round();
    Optional<RestockRound> current = jdbi.inTransaction(h -> {
      new ProductDao(h).awaitWriters(productId);
      return h.attach(RoundDao.class).find(productId, round);
    });
    // A round waiting for its next wave has no job: this one is stale, the wave timer queues it.
    if (current.isEmpty() || current.get().status() != RoundStatus.IN_PROGRESS
        || current.get().waitingForWave()) {
      jobs.finish(job.id());
      return;
    }
    Turn turn = new Turn();
    RoundSender.Outcome outcome;
    do {
      // A run that lost the round (a renewal found its lease gone) wrote nothing of its end. If
      // nobody holds the lease now (Redis lost its data, or the run was paused past it), a fresh
      // run takes the round at once, with a new epoch; if another run holds it, that one sends.
      outcome = runOnce(job, turn);
    } while (outcome == RoundSender.Outcome.LOST && running);
    if (outcome == RoundSender.Outcome.ENDED || outcome == RoundSender.Outcome.WAITING) {
      jobs.finish(job.id());
    } else if (outcome == RoundSender.Outcome.LEFT) {
      // Shutting down, or other rounds are waiting: a fresh job at the back of the stream lets
      // them go first and lets any instance carry this round on.
      jobs.publish(job.productId(), job.round());
      jobs.finish(job.id());
    }
    // Otherwise another run has the round: leave this copy pending. It is claimed again in a few
    // seconds, and then either the round is over (acknowledged) or its owner died (taken over).
  }

  /**
   * One run of the round: its lease, then its epoch, then the send loop. Null when another run
   * holds the lease; ENDED without sending when the round is not live any more.
   */
  private RoundSender.Outcome runOnce(RestockJobs.Job job, Turn turn) throws InterruptedException {
    long productId = job.productId();
    int round = job.round();
    // The lease names this run, not the instance: two threads of one instance never share it.
    RoundOwner leaseHolder = new RoundOwner(productId, round, consumer + ":" + UUID.randomUUID(), 0);
    if (!leases.acquire(productId, round, leaseHolder.token())) {
      return null;
    }
    try {
      OptionalLong epoch = jdbi.onDemand(RoundDao.class).claim(productId, round);
      // Read again under the lease: the last owner may have ended the round since the first read.
      Optional<RestockRound> current =
          jdbi.withExtension(RoundDao.class, rounds -> rounds.find(productId, round));
      if (epoch.isEmpty() || current.isEmpty()
          || current.get().status() != RoundStatus.IN_PROGRESS || current.get().waitingForWave()) {
        return RoundSender.Outcome.ENDED;
      }
      RoundOwner owner = new RoundOwner(productId, round, leaseHolder.token(), epoch.getAsLong());
      return sender.send(current.get(), owner,
          () -> {
            if (!leases.renew(owner)) {
              return false;
            }
            jobs.touch(consumer, job.id());
            return true;
          },
          turn::over);
    } finally {
      leases.release(leaseHolder);
    }
  }

  /**
   * One round's turn on a consumer thread: it ends at shutdown, or after {@link #TURN_NANOS} when
   * other jobs wait in the stream, so live rounds share the threads (and the rate) round-robin
   * and a small round is never stuck behind a million-user one.
   */
  private final class Turn {
    private final long endsAt = System.nanoTime() + TURN_NANOS;
    private long nextLook = endsAt;

    boolean over() {
      if (!running) {
        return true;
      }
      long now = System.nanoTime();
      if (now < nextLook) {
        return false;
      }
      nextLook = now + TimeUnit.SECONDS.toNanos(1);
      return jobs.backlog().lag() > 0; // NaN when Redis is away: keep sending
    }
  }

  private void sleepQuietly() {
    try {
      TimeUnit.SECONDS.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops taking jobs; rounds being sent are synced and handed back, then the threads end. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(10_000);
    }
  }
}
