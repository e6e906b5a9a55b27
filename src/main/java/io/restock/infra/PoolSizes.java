package io.restock.infra;

/**
 * Threads and connections for each side of the service, worked out in one place. The API (Jetty's
 * threads) and the engine (consumers, sender threads, history writer, recovery sweep) each have a
 * MySQL pool and a Redis pool of their own: requests piled up on a product's row lock hold API
 * connections only, so sending goes on; a busy round cannot take the API's connections either.
 * The engine pools have a connection for every engine thread that can use one at the same time,
 * so no engine thread waits for a connection.
 *
 * @param httpThreads Jetty's threads, its acceptor and selector included: requests beyond them
 *     queue. Few, so that a sale's requests cannot keep more threads running than the two cores
 *     can serve beside the send loop: in the bench's rush (64 connections) the round sent 85 and
 *     93 % of the cap with 16, 60 and 62 % with 96, at about the same purchases a second (a
 *     purchase is one statement, so it no longer holds a thread while it waits for the row
 *     lock). With the API's DAOs on Jdbi's fluent API a request costs less CPU, so 16 threads
 *     served more of it and left the round 89.1-94.0 % inside the rush (median 92.0, 6 runs);
 *     12 gave 93.2-98.1 % (median 96.5, 6 runs, 3 interleaved with 16's) at about the same
 *     requests a second; 10 gave 96.9-97.6 % (median 97.15, 4 runs) against 94.1-96.8 % on 12
 *     (interleaved), for about 10 % fewer requests a second. The threads run at the lowest
 *     priority, below the engine's, so they do not take the senders' CPU (the JVM passes that
 *     to the OS with -XX:ThreadPriorityPolicy=1, see src/main/jvm/restock.jvmopts): inside the
 *     rush the round sent 94.0 and 91.9 % of the cap at MIN_PRIORITY, 68.7 and 88.9 % at
 *     NORM_PRIORITY - 2 (two runs each, interleaved)
 * @param apiMySql connections for requests: one for each Jetty thread that serves requests. A
 *     request that finds none free within 3 s answers 503
 * @param engineMySql one per consumer thread (its round's pages, hand-over and status writes, one
 *     at a time), one for the history writer, one for the sweep, and spare ones
 * @param apiRedis one per Jetty thread: a request uses one at a time, for well under a millisecond
 * @param engineRedis one per consumer thread (held through its blocking stream read, or used one
 *     at a time for its round), one per history writer thread, one for the sweep, one per sender
 *     thread (its message's fenced sent-log entry, the limiter's fresh slot for a late message, a
 *     withdrawal), and spare ones.
 *     Connections open only as they are needed at once: usually a handful
 * @param senderThreads threads sending webhook requests, NOTIFIER_CONCURRENCY per consumer thread
 */
public record PoolSizes(int httpThreads, int apiMySql, int engineMySql, int apiRedis,
    int engineRedis, int senderThreads) {
  static final int HTTP_THREADS = 10;
  public static final int API_MYSQL = 6;
  /** HistoryWriter: its sent-log thread uses Redis, its history thread MySQL and Redis. */
  private static final int HISTORY_MYSQL_THREADS = 1;
  private static final int HISTORY_REDIS_THREADS = 2;
  private static final int SWEEP_THREADS = 1;
  /** So that a user this count misses does not make a consumer wait for a connection. */
  private static final int SPARE = 2;

  public static PoolSizes of(Config config) {
    int consumers = config.workerThreads();
    int senders = config.notifierConcurrency() * consumers;
    return new PoolSizes(
        HTTP_THREADS,
        API_MYSQL,
        consumers + HISTORY_MYSQL_THREADS + SWEEP_THREADS + SPARE,
        HTTP_THREADS,
        consumers + HISTORY_REDIS_THREADS + SWEEP_THREADS + senders + SPARE,
        senders);
  }
}
