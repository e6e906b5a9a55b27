package io.restock.bench;

import static io.restock.bench.BenchFailure.EXIT_OK;
import static io.restock.bench.BenchFailure.EXIT_TIMEOUT;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * --waves K: product 1 with stock {@link #STOCK} and perUnit K. Measures the first wave at the
 * receiver (K × stock messages, against the cap) and then the wait before the second: it should
 * cost no CPU and send nothing. The run stops there; the later waves would only repeat it.
 */
final class WaveBench {
  static final int STOCK = 1_000;
  /** Longer than the sample of the wait, so the sample never overlaps the second wave. */
  private static final int INTERVAL_SECONDS = 60;
  private static final Duration WAIT_SAMPLE = Duration.ofSeconds(20);

  private final Options o;
  private final Api api;
  private final Receiver receiver;
  private final Instances instances;

  WaveBench(Options o, Api api, Receiver receiver, Instances instances) {
    this.o = o;
    this.api = api;
    this.receiver = receiver;
    this.instances = instances;
  }

  /** Before the trigger: the policy the waves follow. */
  void prepare(Product product) throws Exception {
    api.setPolicy(product.id(), o.waves(), INTERVAL_SECONDS);
  }

  int measure(Product product, long triggerNanos) throws Exception {
    long wave = Math.min((long) o.waves() * STOCK, o.subscribers());
    long deadline = System.nanoTime() + Duration.ofSeconds(60 + 4 * wave / o.rate()).toNanos();
    Round round = api.latestRound(0, product.id());
    while (round == null || round.wavesSent() < 1 || round.nextWaveAt() == null) {
      if (System.nanoTime() > deadline) {
        throw new BenchFailure(EXIT_TIMEOUT, "the first wave did not end: " + round);
      }
      Thread.sleep(100);
      round = api.latestRound(0, product.id());
    }
    List<Arrival> arrivals = receiver.arrivals();
    int n = arrivals.size();
    double seconds = (arrivals.get(n - 1).nanos() - arrivals.get(0).nanos()) / 1e9;
    double rate = (n - 1) / seconds;
    Print.line("first wave: %d messages (expected %d = %d per unit x stock %d); round says %d told",
        n, wave, o.waves(), STOCK, round.notifiedCount());
    Print.line("first wave rate: %.1f msg/s = %.1f%% of cap %d; max in any 1 s window %d; "
            + "trigger to last arrival %.3f s", rate, 100 * rate / o.rate(), o.rate(),
        Report.maxInOneSecond(arrivals), (arrivals.get(n - 1).nanos() - triggerNanos) / 1e9);

    Map<Integer, Double> before = instances.cpuNow();
    Thread.sleep(WAIT_SAMPLE.toMillis());
    Map<Integer, Double> after = instances.cpuNow();
    for (Map.Entry<Integer, Double> e : before.entrySet()) {
      double used = after.get(e.getKey()) - e.getValue();
      Print.line("wait before wave 2 (next at %s): instance %d used %.2f s of CPU in %d s "
              + "(%.2f%% of one core)", round.nextWaveAt(), e.getKey(), used,
          WAIT_SAMPLE.toSeconds(), 100 * used / WAIT_SAMPLE.toSeconds());
    }
    Print.line("messages during the wait: %d", receiver.arrivals().size() - n);
    return EXIT_OK;
  }
}
