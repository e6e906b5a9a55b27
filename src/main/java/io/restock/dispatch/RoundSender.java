package io.restock.dispatch;

import io.restock.delivery.Notification;
import io.restock.delivery.Notifier;
import io.restock.dispatch.RetryBook.Retry;
import io.restock.infra.DaemonThreads;
import io.restock.infra.DependencyDown;
import io.restock.product.ProductDao;
import io.restock.product.StockMirror;
import io.restock.product.VersionedProduct;
import io.restock.round.CursorStore;
import io.restock.round.RestockRound;
import io.restock.round.RoundMetrics;
import io.restock.round.RoundOwner;
import io.restock.round.RoundStatus;
import io.restock.round.SendCursor;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send loop of one round: subscribers in send order, one rate-limited dispatch at a time,
 * a bounded number in flight, a stock check before every message, a failed message retried a few
 * times and then ending the round. Everything it learns goes to the history writer; when it stops
 * it syncs the cursor and status to MySQL and Redis.
 */
public final class RoundSender {
  private static final Logger log = LoggerFactory.getLogger(RoundSender.class);
  private static final int PAGE_SIZE = 500;
  /** Sends waiting to be recorded in MySQL before the loop waits for the writer to catch up. */
  private static final int MAX_UNRECORDED = 20_000;

  /**
   * How a run ended: the round is over; it was left (still IN_PROGRESS, synced) for a later run;
   * or the run lost the round and wrote nothing of its end; or the round waits (IN_PROGRESS,
   * synced) for its next wave, which the wave timer queues when it is due.
   */
  public enum Outcome { ENDED, LEFT, LOST, WAITING }

  /** Called about once a second; false when this instance must stop sending the round. */
  public interface KeepAlive {
    boolean stillOwner();
  }

  private final Jdbi jdbi;
  private final GlobalRateLimiter limiter;
  private final Notifier notifier;
  private final HistoryWriter history;
  private final StockMirror stock;
  private final RoundHandOver handOver;
  private final RoundMetrics metrics;
  private final int concurrency;
  private final RetryDelay retryDelay;
  private final RunEnd ending;
  private final Clock clock;
  /** Reads the runs' next pages; idle threads go after a minute. */
  private final ExecutorService pageReads =
      Executors.newCachedThreadPool(DaemonThreads.named("send-order-read"));

  public RoundSender(Jdbi jdbi, GlobalRateLimiter limiter, Notifier notifier, HistoryWriter history,
      CursorStore cursors, StockMirror stock, RoundHandOver handOver, RoundMetrics metrics,
      int concurrency, Clock clock) {
    this.jdbi = jdbi;
    this.limiter = limiter;
    this.notifier = notifier;
    this.history = history;
    this.stock = stock;
    this.handOver = handOver;
    this.metrics = metrics;
    this.concurrency = concurrency;
    this.retryDelay = new RetryDelay(clock, () -> ThreadLocalRandom.current().nextDouble());
    this.ending = new RunEnd(jdbi, handOver, cursors, metrics, clock);
    this.clock = clock;
  }

  public Outcome send(RestockRound round, RoundOwner owner, KeepAlive keepAlive,
      BooleanSupplier stopping) throws InterruptedException {
    return new Run(round, owner, keepAlive, stopping).run();
  }

  /** The state of one run of one round; lives on the consumer thread that runs it. */
  private final class Run {
    private final RestockRound round;
    private final RoundOwner owner;
    private final long productId;
    /** Read once a run: every message of the round shows it. */
    private final String productName;
    private final BooleanSupplier stopping;
    private final RoundProgress progress;
    private final SubscribersAhead order;
    private final InFlightWindow inFlight = new InFlightWindow(concurrency);
    private final RetryBook retries = new RetryBook();
    private final RunAnswers answers;
    private long lastSeq;
    private final RunLease lease;
    private final SendSlots slots;
    /** Fresh subscribers the wave being sent may still tell (retries are not fresh). */
    private long waveLeft;

    Run(RestockRound round, RoundOwner owner, KeepAlive keepAlive, BooleanSupplier stopping) {
      this.round = round;
      this.owner = owner;
      this.productId = round.productId();
      this.productName = jdbi.withHandle(h -> new ProductDao(h).find(productId)).orElseThrow().name();
      this.lease = new RunLease(keepAlive);
      this.stopping = stopping;
      RoundHandOver.Start start = handOver.take(round, owner);
      this.progress = new RoundProgress(owner, start.cursor());
      this.order = new SubscribersAhead(new SendOrder(round.startAfter(), start.cursor().lastPosition()),
          SendOrder.Pages.of(jdbi.onDemand(SendOrderDao.class), productId, round.restockRound()),
          PAGE_SIZE, pageReads);
      this.lastSeq = start.lastSeq();
      this.answers = new RunAnswers(progress, history, metrics, retries, retryDelay);
      this.slots = new SendSlots(limiter, metrics, productId, lease, () -> {
        VersionedProduct row = jdbi.withHandle(h -> new ProductDao(h).findVersioned(productId))
            .orElseThrow();
        stock.set(productId, row.product().stock(), row.stockVersion());
      });
    }

    Outcome run() throws InterruptedException {
      SendCursor start = progress.cursor();
      log.info("Round {}/{} sending to {} subscribers, {}", productId, round.restockRound(),
          round.totalSubscribers(), start.lastUserId() == null
              ? "from the start of its order" : "resuming after user " + start.lastUserId()
                  + " with " + start.notifiedCount() + " already told");
      WavePlan plan = WavePlan.forRun(jdbi, clock, round, owner, start.notifiedCount());
      if (plan.soldOut()) {
        return ending.write(round, owner, start, RoundStatus.CANCELED_BY_SOLD_OUT, lease.isLost(),
            new RunEnd.WaveEnd(0, null));
      }
      if (plan.waitUntil() != null) {
        return ending.write(round, owner, start, RoundStatus.IN_PROGRESS, lease.isLost(),
            new RunEnd.WaveEnd(0, plan.waitUntil()));
      }
      waveLeft = plan.quota();
      RoundStatus end = null;
      boolean left = false;
      boolean lost = false;
      while (end == null) {
        if (stopping.getAsBoolean()) {
          left = true;
          break;
        }
        try {
          if (!lease.renewIfDue()) {
            lost = true;
            break;
          }
          end = step();
        } catch (RuntimeException e) {
          String down = DependencyDown.describe(e);
          if (down == null) {
            log.error("Round {}/{} failed", productId, round.restockRound(), e);
            end = RoundStatus.CANCELED_BY_ERROR;
          } else {
            log.warn("Round {}/{} paused: {}", productId, round.restockRound(), down);
            TimeUnit.SECONDS.sleep(1);
            lease.renewSoon();
          }
        }
      }
      settle();
      return ending.write(round, owner, progress.cursor(), left ? null : end, lost || lease.isLost(),
          left || lost ? null : waveEnd(end));
    }

    /** IN_PROGRESS: this wave's quota is told, the next one comes after the policy's interval. */
    private RunEnd.WaveEnd waveEnd(RoundStatus end) {
      return switch (end) {
        case IN_PROGRESS -> new RunEnd.WaveEnd(1, WavePlan.nextWave(jdbi, clock, productId));
        case COMPLETED, CANCELED_BY_SOLD_OUT -> new RunEnd.WaveEnd(1, null);
        case CANCELED_BY_ERROR -> null; // a resend finishes the wave
      };
    }

    /**
     * Sends the next message, or says how the round ended (IN_PROGRESS: the wave did). A slot in
     * flight is taken before any work is: a retry or a subscriber taken then always has somewhere
     * to go.
     */
    private RoundStatus step() throws InterruptedException {
      if (answers.roundFailed()) {
        return RoundStatus.CANCELED_BY_ERROR;
      }
      // Holding no slot in flight, so every answer has come and reported its retry, if any.
      if (order.done() && inFlight.idle() && retries.isEmpty()) {
        return RoundStatus.COMPLETED;
      }
      if (waveLeft == 0 && inFlight.idle() && retries.isEmpty()) {
        return order.peek() == null ? RoundStatus.COMPLETED : RoundStatus.IN_PROGRESS;
      }
      if (!progress.awaitBacklogBelow(MAX_UNRECORDED, 1_000)) {
        return null; // MySQL is behind: look again after checking for a stop
      }
      if (!inFlight.tryTake(200)) {
        return null; // all in flight: renew the lease, look for a stop, then try again
      }
      Retry retry = null;
      boolean dispatched = false;
      try {
        retry = retries.takeDue(System.nanoTime());
        Subscriber next = retry != null ? retry.subscriber() : waveLeft > 0 ? order.peek() : null;
        if (next == null) {
          // Wait for an answer in flight or a retry coming due.
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
          return null;
        }
        OptionalLong slot = slots.await();
        if (slot.isEmpty()) {
          return RoundStatus.CANCELED_BY_SOLD_OUT;
        }
        if (retry == null) {
          order.poll();
          waveLeft--;
          progress.dispatched(++lastSeq, next);
          dispatch(lastSeq, next, 1, slot.getAsLong());
        } else {
          dispatch(retry.seq(), next, retry.attempt(), slot.getAsLong());
        }
        dispatched = true;
        return null;
      } finally {
        if (!dispatched) {
          // Nothing left (nothing due yet, sold out, or MySQL or Redis failed us): the slot in
          // flight and any retry taken go back, or the run would wait for them for ever.
          inFlight.give();
          if (retry != null) {
            retries.putBack(retry);
          }
        }
      }
    }

    private void dispatch(long seq, Subscriber subscriber, int attempt, long dueNanos) {
      CompletableFuture<Void> sending;
      try {
        sending = notifier.send(new Notification(productId, productName, subscriber.userId(),
            round.restockRound(), dueNanos, owner.token()));
      } catch (RuntimeException notHandedOver) {
        // No sending thread took it (the notifier is closing): back to the loop, not sent.
        retries.report(new Retry(seq, subscriber, attempt, System.nanoTime()));
        inFlight.give();
        return;
      }
      // The slot goes back whatever the answer does, or the run would wait for it for ever.
      sending.whenComplete((ok, error) -> {
        try {
          answers.answered(seq, subscriber, attempt, error);
        } finally {
          inFlight.give();
        }
      });
    }

    /**
     * Lets every message in flight finish and be recorded; retries not yet made are given up.
     * The lease is renewed meanwhile: a slow provider or MySQL must not cost the round its owner.
     */
    private void settle() throws InterruptedException {
      while (!inFlight.awaitIdle(200)) {
        lease.renewIfDue();
      }
      answers.recordRefusals();
      retries.takeAll().forEach(r -> progress.gaveUp(r.seq()));
      long nextWarning = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!progress.awaitSettled(200)) {
        lease.renewIfDue();
        if (System.nanoTime() - nextWarning > 0) {
          nextWarning += TimeUnit.SECONDS.toNanos(5);
          log.warn("Round {}/{}: waiting for MySQL to record the last sends", productId,
              round.restockRound());
        }
      }
    }
  }
}
