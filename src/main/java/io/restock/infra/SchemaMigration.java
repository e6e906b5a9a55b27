package io.restock.infra;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema migration at start, on a thread of its own. While MySQL cannot be reached it is tried
 * again and again: a service that comes up before its database (a reboot, a deploy that starts
 * everything at once) must come up by itself once the database does. Any other error ends it: a
 * migration that fails on a database that answers fails the same way the next time.
 */
public final class SchemaMigration implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SchemaMigration.class);
  /**
   * Pause between attempts. An attempt on a server that does not answer already waits the pool's
   * 3 s connection timeout, so this makes one WARN line every 4 s or so, not a flood.
   */
  private static final long RETRY_MILLIS = 1_000;

  private final Database database;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final Thread thread = new Thread(this::migrate, "schema-migration");
  private volatile boolean closed;

  /** Starts migrating at once, so the migration overlaps the rest of start-up. */
  public SchemaMigration(Database database) {
    this.database = database;
    thread.setDaemon(true);
    thread.start();
  }

  private void migrate() {
    for (int attempt = 1; ; attempt++) {
      try {
        database.migrate();
        if (attempt > 1) {
          log.info("MySQL answered on attempt {}; schema migrated", attempt);
        }
        done.complete(null);
        return;
      } catch (RuntimeException e) {
        if (closed) {
          return; // the failure is the interrupt of a stop, not the schema's
        }
        if (DependencyDown.describe(e) == null) {
          log.error("Could not migrate the database schema", e);
          done.completeExceptionally(e);
          return;
        }
        log.warn("MySQL is not reachable (attempt {}: {}); the API answers 503 until it is,"
            + " trying again in {} ms", attempt, firstLine(rootCause(e)), RETRY_MILLIS);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(RETRY_MILLIS);
      } catch (InterruptedException e) {
        return; // closed while waiting for MySQL
      }
    }
  }

  /** Completes once the schema is migrated; fails if it cannot be. */
  public CompletableFuture<Void> done() {
    return done;
  }

  public boolean migrated() {
    return done.isDone() && !done.isCompletedExceptionally();
  }

  /**
   * For a request that reads or writes the tables: waits up to {@code patience} for the schema (a
   * request in the first moments after start), then answers 503 rather than hang.
   */
  public void await(Duration patience) {
    try {
      done.get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ApiError(503, "UNAVAILABLE", "MySQL is not reachable; try again shortly");
    } catch (ExecutionException e) {
      throw new ApiError(503, "UNAVAILABLE", "The database schema could not be migrated");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError(503, "UNAVAILABLE", "The service is stopping");
    }
  }

  private static Throwable rootCause(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  /** The driver's messages run over several lines; the log gets the first. */
  private static String firstLine(Throwable error) {
    String text = error.toString();
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end).strip();
  }

  /** Stops a migration still waiting for MySQL (a stop before it ever answered). */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
