package io.restock.dispatch;

import io.restock.delivery.ProviderRefusal;
import io.restock.round.CursorStore;
import io.restock.round.RejectionDao;
import io.restock.round.UserHistoryDao;
import io.restock.subscription.SubscriptionDao;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;

/**
 * Records the answers of sends in two steps, each on its own thread and in batches of whatever
 * arrived meanwhile: first a delivery in the sent log in Redis (at once, so a crash leaves few
 * messages unconfirmed), then history rows in MySQL (and rejections: recipients the provider
 * refused for good), after which each round's cursor moves in Redis and the sent log lets go of
 * those users. MySQL before the cursor, so the cursor never passes a user MySQL lacks.
 */
public final class HistoryWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HistoryWriter.class);
  private static final int MAX_BATCH = 5_000;
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /** An answer: delivered, or (with a refusal) the recipient refused for good. */
  record Sent(RoundProgress progress, long seq, Subscriber subscriber, LocalDateTime at,
      ProviderRefusal refusal) {
    boolean told() {
      return refusal == null;
    }
  }

  private final Jdbi jdbi;
  private final Clock clock;
  private final RedisClient redis;
  private final CursorStore cursors;
  private final SentLog sentLog;
  private final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
  private final BlockingQueue<Sent> logged = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  public HistoryWriter(Jdbi jdbi, RedisClient redis, CursorStore cursors, SentLog sentLog,
      Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.redis = redis;
    this.cursors = cursors;
    this.sentLog = sentLog;
    // An answer a crash loses leaves its message unconfirmed, so answers are logged at once; MySQL
    // gets rows in batches gathered over 20 ms, a few dozen transactions a second, not hundreds.
    threads.add(new Thread(() -> drain(sent, 0, this::logInRedis), "sent-log"));
    threads.add(new Thread(() -> drain(logged, LINGER_NANOS, this::recordInMySql), "history-writer"));
    threads.forEach(t -> t.setDaemon(true));
  }

  public void start() {
    threads.forEach(Thread::start);
  }

  void sent(RoundProgress progress, long seq, Subscriber subscriber) {
    sent.add(new Sent(progress, seq, subscriber, LocalDateTime.now(clock), null));
  }

  /** Nothing of a refused message is in the sent log: it goes straight to MySQL. */
  void rejected(RoundProgress progress, long seq, Subscriber subscriber, ProviderRefusal refusal) {
    logged.add(new Sent(progress, seq, subscriber, LocalDateTime.now(clock), refusal));
  }

  private interface Step {
    void write(Map<RoundProgress, List<Sent>> byRound) throws InterruptedException;
  }

  private void drain(BlockingQueue<Sent> queue, long lingerNanos, Step step) {
    List<Sent> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Sent first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long until = System.nanoTime() + lingerNanos;
        for (Sent next = first; next != null && batch.size() < MAX_BATCH; ) {
          queue.drainTo(batch, MAX_BATCH - batch.size());
          long left = until - System.nanoTime();
          next = left > 0 && batch.size() < MAX_BATCH ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
          if (next != null) {
            batch.add(next);
          }
        }
        Map<RoundProgress, List<Sent>> byRound = new LinkedHashMap<>();
        batch.forEach(s -> byRound.computeIfAbsent(s.progress(), k -> new ArrayList<>()).add(s));
        step.write(byRound);
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void logInRedis(Map<RoundProgress, List<Sent>> byRound) {
    try (AbstractPipeline pipeline = redis.pipelined()) {
      byRound.forEach((p, rows) -> sentLog.answered(pipeline, p.owner(), userIds(rows)));
      pipeline.sync();
    } catch (RuntimeException e) {
      // Redis is away: MySQL still records these; a crash before it does leaves them unconfirmed.
      log.warn("Could not log the answers of {} rounds in Redis: {}", byRound.size(), e.getMessage());
    }
    byRound.values().forEach(logged::addAll);
  }

  private void recordInMySql(Map<RoundProgress, List<Sent>> byRound) throws InterruptedException {
    for (long backoff = 100; ; backoff = Math.min(backoff * 2, 2_000)) {
      try {
        jdbi.useTransaction(h -> byRound.forEach((progress, rows) -> record(h, progress, rows)));
        break;
      } catch (RuntimeException e) {
        // The messages were sent; keep them until MySQL takes them.
        log.warn("Could not record sends in MySQL, retrying in {} ms: {}", backoff, e.getMessage());
        Thread.sleep(backoff);
      }
    }
    byRound.forEach((progress, rows) -> rows.forEach(r -> {
      if (r.told()) {
        progress.recorded(r.seq());
      } else {
        progress.rejected(r.seq());
      }
    }));
    try (AbstractPipeline pipeline = redis.pipelined()) {
      byRound.forEach((progress, rows) -> {
        cursors.save(pipeline, progress.owner(), progress.cursor());
        sentLog.recorded(pipeline, progress.owner(), userIds(told(rows, true)));
      });
      pipeline.sync();
    } catch (RuntimeException e) {
      // MySQL has the history; the next batch or the end of the round writes the cursor.
      log.warn("Could not write send cursors to Redis: {}", e.getMessage());
    }
  }

  /** One round's batch: history rows for deliveries, rejections (410 ends the subscription). */
  private static void record(Handle h, RoundProgress progress, List<Sent> rows) {
    List<Sent> delivered = told(rows, true);
    if (!delivered.isEmpty()) {
      h.attach(UserHistoryDao.class).insertAll(progress.productId(), progress.round(),
          userIds(delivered), delivered.stream().map(Sent::seq).toList(),
          delivered.stream().map(Sent::at).toList(), true);
    }
    List<Sent> refused = told(rows, false);
    if (refused.isEmpty()) {
      return;
    }
    RejectionDao rejections = h.attach(RejectionDao.class);
    rejections.insertAll(progress.productId(), progress.round(), userIds(refused),
        refused.stream().map(r -> r.refusal().status()).toList(),
        refused.stream().map(Sent::at).toList());
    rejections.recount(progress.productId(), progress.round());
    SubscriptionDao subscriptions = new SubscriptionDao(h);
    refused.stream().filter(r -> r.refusal().endsSubscription())
        .forEach(r -> subscriptions.deactivate(progress.productId(), r.subscriber().userId()));
  }

  private static List<Sent> told(List<Sent> rows, boolean told) {
    return rows.stream().filter(r -> r.told() == told).toList();
  }

  private static List<Long> userIds(List<Sent> rows) {
    return rows.stream().map(r -> r.subscriber().userId()).toList();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(5_000);
    }
  }
}
