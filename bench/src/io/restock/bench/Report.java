package io.restock.bench;

import static io.restock.bench.Print.line;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the run measured, from the arrivals at the receiver: rate against the cap, the busiest
 * 1-second window, actual against ideal time, each product's progress, the sell-out tail.
 */
final class Report {
  private static final long SECOND = 1_000_000_000L;

  private final Options o;
  private final Outcome outcome;
  private final Receiver receiver;
  private final Instances instances;
  private final CpuUse cpu;
  private final SigningCost signing;
  private final List<Arrival> arrivals;
  private final ApiLoad load;

  /** {@code load}: the --api-load rush, ended; or null. */
  Report(Options o, Outcome outcome, Receiver receiver, Instances instances, CpuUse cpu,
      SigningCost signing, ApiLoad load) {
    this.o = o;
    this.load = load;
    this.cpu = cpu;
    this.signing = signing;
    this.outcome = outcome;
    this.receiver = receiver;
    this.instances = instances;
    this.arrivals = receiver.arrivals();
    arrivals.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
  }

  void print() {
    line("");
    line("===== restock bench report =====");
    line("setup: %d product(s) x %d subscribers, %d instance(s), cap %d/s, receiver delay %d ms%s",
        o.products(), o.subscribers(), o.instances(), o.rate(), o.receiverDelayMs(),
        (o.soldOutAfter() == null ? "" : ", sold out after " + o.soldOutAfter())
            + o.apiLoadLabel()
            + (o.warmup() == 0 ? ", cold service" : ", after a warm-up round of " + o.warmup()));
    if (outcome.timedOut()) {
      line("RESULT: TIMED OUT (figures below are partial)");
    }
    // Rates depend on spare CPU: a busy machine is worth knowing about when reading them.
    line("machine: %d CPUs, load average at trigger %.2f, at end %.2f", Runtime.getRuntime().availableProcessors(),
        outcome.loadAtTrigger(), CpuUse.loadAverage());
    line("receiver: %s", receiver.scheduling());
    instances.secondsToHealthy().forEach((k, s) -> line("instance %d start-up to healthy: %.2f s", k, s));
    outcome.products().forEach(this::product);
    aggregate();
    if (load != null) {
      new LoadReport(o, load, arrivals, outcome.triggerNanos()).print();
    }
    if (outcome.soldOut() != null) {
      soldOut(outcome.soldOut());
    }
    new ResourceReport(instances, cpu).print();
    if (!o.logNotifier()) {
      signing.print(receiver.signed(), receiver.requests());
    }
    if (receiver.unreadable() > 0) {
      line("unreadable webhook bodies: %d", receiver.unreadable());
    }
  }

  private void product(Product p) {
    Round r = outcome.rounds().get(p.id());
    line("%s final status: %s", p.label(), r == null ? "no round seen" : r.status());
    if (r != null) {
      line("%s notifiedCount: %d of %d (last user %s, round %d)", p.label(), r.notifiedCount(),
          r.totalSubscribers(), r.lastNotifiedUserId(), r.restockRound());
    }
    line("%s messages received: %d", p.label(), receiver.received(p.id()));
    line("%s duplicates: %d", p.label(), receiver.duplicates(p.id()));
  }

  private void aggregate() {
    if (o.logNotifier()) {
      engineRate();
      return;
    }
    int n = arrivals.size();
    line("messages received: %d (expected %d without sell-out)", n, o.totalMessages());
    if (n < 2) {
      line("too few messages for rate figures");
      return;
    }
    long first = arrivals.get(0).nanos();
    long last = arrivals.get(n - 1).nanos();
    double seconds = (last - first) / 1e9;
    double rate = (n - 1) / seconds;
    line("trigger to first arrival: %.3f s", (first - outcome.triggerNanos()) / 1e9);
    line("first-to-last arrival: %.3f s", seconds);
    line("achieved rate: %.1f msg/s = %.1f%% of cap %d", rate, 100 * rate / o.rate(), o.rate());
    int window = maxInOneSecond(arrivals);
    line("max in any 1 s window: %s", againstCap(window, o.rate()));
    long idealCount = outcome.soldOut() == null ? o.totalMessages() : n;
    double ideal = (idealCount - 1) / (double) o.rate();
    line("ideal time for %d messages: %.3f s; actual first-to-last %.3f s (%.1f%% of ideal)",
        idealCount, ideal, seconds, 100 * seconds / ideal);
    if (o.products() > 1) {
      finishSpread(seconds);
    }
  }

  /** Every arrival, in order, for a closer look: seconds since the trigger, product, round, user. */
  void writeArrivals(Path file) throws IOException {
    StringBuilder csv = new StringBuilder("seconds_since_trigger,product_id,round,user_id\n");
    for (Arrival a : arrivals) {
      csv.append(String.format(Locale.ROOT, "%.6f,%d,%d,%d%n",
          (a.nanos() - outcome.triggerNanos()) / 1e9, a.productId(), a.round(), a.userId()));
    }
    Files.writeString(file, csv);
    line("arrivals written to %s", file);
  }

  /** A busiest second as every report line gives it: the count, its share of the cap, a flag. */
  static String againstCap(int busiest, int cap) {
    return Print.format("%d = %.1f%% of cap%s", busiest, 100.0 * busiest / cap,
        busiest > cap ? "  <-- OVER THE CAP" : "");
  }

  static int maxInOneSecond(List<Arrival> arrivals) {
    return maxInOneSecond(arrivals.stream().mapToLong(Arrival::nanos).toArray());
  }

  /** Exact: every window that could hold the most starts at a stamp, so sweep those (sorted). */
  static int maxInOneSecond(long[] nanos) {
    int best = 0;
    int end = 0;
    for (int start = 0; start < nanos.length; start++) {
      long limit = nanos[start] + SECOND;
      while (end < nanos.length && nanos[end] < limit) {
        end++;
      }
      best = Math.max(best, end - start);
    }
    return best;
  }

  /** With the log notifier nothing reaches the receiver: the rounds' own times tell the rate. */
  private void engineRate() {
    long told = 0;
    double longest = 0;
    for (Product p : outcome.products()) {
      Round r = outcome.rounds().get(p.id());
      if (r == null || r.finishedAt() == null) {
        line("%s did not finish: no engine rate", p.label());
        return;
      }
      told += r.notifiedCount();
      longest = Math.max(longest, r.seconds());
      line("%s round took %.3f s: %.0f notifications/s", p.label(), r.seconds(),
          r.notifiedCount() / r.seconds());
    }
    line("engine rate (log notifier, cap %d): %d notifications in %.3f s = %.0f notifications/s",
        o.rate(), told, longest, told / longest);
  }

  /** How unevenly products shared the rate: gap between their last arrivals, vs the run. */
  private void finishSpread(double runSeconds) {
    Map<Long, Long> lastByProduct = new HashMap<>();
    for (Arrival a : arrivals) {
      lastByProduct.merge(a.productId(), a.nanos(), Math::max);
    }
    List<Long> lasts = new ArrayList<>();
    for (Product p : outcome.products()) {
      Round r = outcome.rounds().get(p.id());
      Long l = lastByProduct.get(p.id());
      if (r != null && "COMPLETED".equals(r.status()) && l != null) {
        lasts.add(l);
      }
    }
    if (lasts.size() < 2) {
      line("finish spread: n/a (fewer than two completed products)");
      return;
    }
    double spread = (lasts.stream().mapToLong(Long::longValue).max().getAsLong()
        - lasts.stream().mapToLong(Long::longValue).min().getAsLong()) / 1e9;
    line("finish spread: %.3f s = %.1f%% of the %.3f s run (over %d completed products)",
        spread, 100 * spread / runSeconds, runSeconds, lasts.size());
  }

  private void soldOut(SoldOut s) {
    Product first = outcome.products().get(0);
    line("sell-out of %s: %s", first.label(), s.outcome);
    if (!s.bought()) {
      return;
    }
    long during = 0;
    long after = 0;
    for (Arrival a : arrivals) {
      if (a.productId() != first.id()) {
        continue;
      }
      if (a.nanos() > s.purchaseDoneNanos) {
        after++;
      } else if (a.nanos() >= s.purchaseStartNanos) {
        during++;
      }
    }
    line("sell-out purchase took: %.1f ms (%s)", (s.purchaseDoneNanos - s.purchaseStartNanos) / 1e6, s.how());
    line("messages for %s arriving while the purchase was under way: %d", first.label(), during);
    line("messages for %s arriving after the purchase response: %d", first.label(), after);
  }
}
