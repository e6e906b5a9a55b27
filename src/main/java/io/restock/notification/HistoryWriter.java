package io.restock.notification;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;

/**
 * Records successful sends: history rows to MySQL in batches (whatever arrived while the last
 * batch was being written), then each round's cursor to its Redis hash. MySQL first, so the
 * cursor in Redis never claims a user that MySQL has not recorded.
 */
public final class HistoryWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HistoryWriter.class);
  private static final int MAX_BATCH = 5_000;

  record Sent(RoundProgress progress, long seq, Subscriber subscriber, LocalDateTime at) {}

  private final Jdbi jdbi;
  private final CursorStore cursors;
  private final RedisClient redis;
  private final BlockingQueue<Sent> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;

  public HistoryWriter(Jdbi jdbi, RedisClient redis, CursorStore cursors) {
    this.jdbi = jdbi;
    this.redis = redis;
    this.cursors = cursors;
    this.thread = new Thread(this::run, "history-writer");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  void sent(RoundProgress progress, long seq, Subscriber subscriber) {
    queue.add(new Sent(progress, seq, subscriber, LocalDateTime.now(java.time.ZoneOffset.UTC)));
  }

  private void run() {
    List<Sent> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Sent first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        writeUntilDone(batch);
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void writeUntilDone(List<Sent> batch) throws InterruptedException {
    Map<RoundProgress, List<Sent>> byRound = new LinkedHashMap<>();
    batch.forEach(sent -> byRound.computeIfAbsent(sent.progress(), k -> new ArrayList<>()).add(sent));
    for (long backoff = 100; ; backoff = Math.min(backoff * 2, 2_000)) {
      try {
        jdbi.useTransaction(h -> byRound.forEach((progress, rows) ->
            h.attach(UserHistoryDao.class).insertAll(progress.productId(), progress.round(),
                rows.stream().map(r -> r.subscriber().userId()).toList(),
                rows.stream().map(Sent::seq).toList(),
                rows.stream().map(Sent::at).toList())));
        break;
      } catch (RuntimeException e) {
        // The messages were sent; keep them until MySQL takes them.
        log.warn("Could not record {} sends in MySQL, retrying in {} ms: {}", batch.size(), backoff,
            e.getMessage());
        Thread.sleep(backoff);
      }
    }
    byRound.forEach((progress, rows) -> rows.forEach(r -> progress.recorded(r.seq())));
    try (AbstractPipeline pipeline = redis.pipelined()) {
      byRound.keySet().forEach(progress -> cursors.save(pipeline, progress));
      pipeline.sync();
    } catch (RuntimeException e) {
      // MySQL has the history; the next batch or the end of the round writes the cursor.
      log.warn("Could not write send cursors to Redis: {}", e.getMessage());
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5_000);
  }
}
