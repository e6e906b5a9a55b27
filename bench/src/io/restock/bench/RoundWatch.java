package io.restock.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Polls the rounds until every one is final (or the deadline passes), printing progress each second. */
final class RoundWatch {
  static final Duration POLL_EVERY = Duration.ofMillis(200);

  private final Options o;
  private final Api api;
  private final Receiver receiver;

  RoundWatch(Options o, Api api, Receiver receiver) {
    this.o = o;
    this.api = api;
    this.receiver = receiver;
  }

  /** Generous: five times the ideal duration plus a minute for start-up and slow receivers. */
  Duration deadline() {
    double idealSeconds = (o.totalMessages() - 1) / (double) o.rate();
    return Duration.ofSeconds((long) Math.ceil(5 * idealSeconds) + 60);
  }

  Outcome await(List<Product> products, long triggerNanos, SoldOut soldOut) throws InterruptedException {
    double loadAtTrigger = CpuUse.loadAverage();
    long deadline = triggerNanos + deadline().toNanos();
    long nextProgress = triggerNanos + TimeUnit.SECONDS.toNanos(1);
    Map<Long, Round> latest = new LinkedHashMap<>();
    while (true) {
      poll(products, latest);
      if (latest.size() == products.size() && latest.values().stream().allMatch(Round::finished)) {
        printProgress(products, latest, triggerNanos);
        return new Outcome(products, latest, triggerNanos, loadAtTrigger, false, soldOut);
      }
      long now = System.nanoTime();
      if (now >= nextProgress) {
        printProgress(products, latest, triggerNanos);
        nextProgress += TimeUnit.SECONDS.toNanos(1);
      }
      if (now >= deadline) {
        return new Outcome(products, latest, triggerNanos, loadAtTrigger, true, soldOut);
      }
      TimeUnit.NANOSECONDS.sleep(POLL_EVERY.toNanos());
    }
  }

  /** Refreshes every round not yet final; a failed poll keeps the last answer and is retried. */
  private void poll(List<Product> products, Map<Long, Round> latest) {
    for (Product p : products) {
      Round known = latest.get(p.id());
      if (known != null && known.finished()) {
        continue;
      }
      try {
        Round round = api.latestRound(p.index(), p.id());
        if (round != null) {
          latest.put(p.id(), round);
        }
      } catch (IOException | RuntimeException e) {
        System.out.println("poll of " + p.label() + " failed: " + e.getMessage());
      }
    }
  }

  private void printProgress(List<Product> products, Map<Long, Round> latest, long triggerNanos) {
    double t = (System.nanoTime() - triggerNanos) / 1e9;
    for (Product p : products) {
      Round r = latest.get(p.id());
      Print.line("[%6.1fs] %s: %s, receiver has %d", t, p.label(),
          r == null ? "no round yet" : r.notifiedCount() + "/" + r.totalSubscribers() + " " + r.status(),
          receiver.received(p.id()));
    }
  }
}
