package io.restock.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Races copies of one request against each other, one thread each, for the concurrency tests. */
public final class Concurrently {
  private Concurrently() {}

  /** Runs {@code task} {@code times} times at once on as many threads; the results in order. */
  public static <T> List<T> run(int times, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(times);
    try {
      List<T> results = new ArrayList<>();
      for (Future<T> f : pool.invokeAll(Collections.nCopies(times, task))) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }
}
