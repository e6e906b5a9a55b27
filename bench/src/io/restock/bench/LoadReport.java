package io.restock.bench;

import static io.restock.bench.Print.line;

import java.util.List;
import java.util.stream.Collectors;

/**
 * --api-load: what each kind of request got from instance 0 during the rush, and what the rounds
 * delivered inside the rush's window, next to the whole rounds' figures.
 */
final class LoadReport {
  private final Options o;
  private final ApiLoad load;
  private final List<Arrival> arrivals;
  private final long triggerNanos;

  /** {@code arrivals}: sorted by time. */
  LoadReport(Options o, ApiLoad load, List<Arrival> arrivals, long triggerNanos) {
    this.o = o;
    this.load = load;
    this.arrivals = arrivals;
    this.triggerNanos = triggerNanos;
  }

  void print() {
    double window = (load.endNanos() - load.startNanos()) / 1e9;
    line("api load: %d connections on instance 0 for %d s; window %.3f s, from %.3f s after the trigger",
        o.apiLoad(), o.apiLoadSeconds(), window, (load.startNanos() - triggerNanos) / 1e9);
    load.results().forEach(LoadReport::kind);
    rounds(window);
  }

  private static void kind(WrkResult r) {
    line("api %-12s (%2d conn): %7.1f req/s (%d in %.2f s); p50 %.2f ms, p99 %.2f ms, max %.2f ms;"
            + " errors: %d non-2xx, %d not %d, %d socket (connect %d, read %d, write %d, timeout %d);"
            + " answers %s",
        r.kind().name(), r.kind().connections(), r.perSecond(), r.requests(), r.durationUs() / 1e6,
        r.p50Us() / 1e3, r.p99Us() / 1e3, r.maxUs() / 1e3, r.statusErrors(), r.unexpected(),
        r.kind().expectedStatus(), r.socketErrors(), r.connect(), r.read(), r.write(), r.timeout(),
        r.statuses().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
            .collect(Collectors.joining(", ", "{", "}")));
  }

  /** The cap holds or not inside the rush: the same figures as the whole round, over its window. */
  private void rounds(double window) {
    List<Arrival> inside = arrivals.stream()
        .filter(a -> a.nanos() >= load.startNanos() && a.nanos() <= load.endNanos()).toList();
    line("whole round(s): %s", figures(arrivals));
    line("during the rush: %s", figures(inside));
    if (inside.size() >= 2) {
      // Shows whether the rounds covered the whole window (they may start late or end early).
      line("during the rush: first message %.3f s, last %.3f s after the rush began (window %.3f s)",
          (inside.get(0).nanos() - load.startNanos()) / 1e9,
          (inside.get(inside.size() - 1).nanos() - load.startNanos()) / 1e9, window);
    }
  }

  /** Rate from first to last arrival, as the whole-round figure is computed, and the busiest second. */
  private String figures(List<Arrival> list) {
    int n = list.size();
    if (n < 2) {
      return Print.format("%,d messages: too few for rate figures", n);
    }
    double seconds = (list.get(n - 1).nanos() - list.get(0).nanos()) / 1e9;
    double rate = (n - 1) / seconds;
    int busiest = Report.maxInOneSecond(list);
    return Print.format("%,d messages in %.2f s (first to last) = %.1f/s = %.1f%% of cap %d;"
            + " max in any 1 s window %s", n, seconds, rate, 100 * rate / o.rate(), o.rate(),
        Report.againstCap(busiest, o.rate()));
  }
}
