package io.restock.bench;

import static io.restock.bench.BenchFailure.EXIT_FAILED;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Each product gets users 1..N; products are seeded in parallel, each through its own instance. */
final class Seeder {
  /** The service's limit on one bulk subscription request. */
  static final int MAX_USERS_PER_REQUEST = 1_000_000;

  private final Api api;
  private final Options o;

  Seeder(Api api, Options o) {
    this.api = api;
    this.o = o;
  }

  void seed(List<Product> products) {
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(products.size());
    try {
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (Product p : products) {
        all.add(CompletableFuture.runAsync(() -> seedOne(p), pool));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    } finally {
      pool.shutdownNow();
    }
    Print.line("seeded %d subscriber(s) in %.1f s", o.totalMessages(), (System.nanoTime() - started) / 1e9);
  }

  private void seedOne(Product p) {
    for (long from = 1; from <= o.subscribers(); from += MAX_USERS_PER_REQUEST) {
      long to = Math.min(o.subscribers(), from + MAX_USERS_PER_REQUEST - 1);
      long created;
      try {
        created = api.subscribe(p.index(), p.id(), from, to);
      } catch (IOException e) {
        throw new BenchFailure(EXIT_FAILED, "seeding " + p.label() + " failed: " + e);
      }
      if (created != to - from + 1) {
        throw new BenchFailure(EXIT_FAILED, "seeding " + p.label() + " users " + from + ".." + to
            + " created " + created);
      }
    }
  }
}
