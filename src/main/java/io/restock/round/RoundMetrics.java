package io.restock.round;

import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.restock.jobs.RestockJobs;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the send loop counts: messages, rounds by outcome, how long rounds take and how long the
 * shared rate makes senders wait, and the job stream's backlog. No per-product tags, so the
 * number of series stays fixed however many products there are.
 */
public final class RoundMetrics {
  private final Counter sent;
  private final Counter failed;
  private final Counter unconfirmed;
  private final Counter started;
  private final Map<RoundStatus, Counter> finished = new EnumMap<>(RoundStatus.class);
  private final Map<RoundStatus, Timer> durations = new EnumMap<>(RoundStatus.class);
  private final Timer limiterWait;
  private final Counter wavesSent;
  private final DistributionSummary roundWaves;
  private final Counter conversions;
  private final Counter unitsSold;

  public RoundMetrics(MeterRegistry registry, RestockJobs jobs, int ratePerSecond) {
    sent = Counter.builder("restock.messages.sent").description("Messages the provider accepted")
        .register(registry);
    failed = Counter.builder("restock.messages.failed")
        .description("Messages that still failed after their retries").register(registry);
    unconfirmed = Counter.builder("restock.messages.unconfirmed")
        .description("Messages that had left when their instance was lost, with no answer seen")
        .register(registry);
    started = Counter.builder("restock.rounds.started").description("Rounds triggered")
        .register(registry);
    for (RoundStatus status : RoundStatus.values()) {
      finished.put(status, Counter.builder("restock.rounds.finished")
          .description("Rounds that ended, by final status (IN_PROGRESS: handed to another instance)")
          .tag("status", status.name()).register(registry));
      durations.put(status, Timer.builder("restock.round.duration")
          .description("From a round's start to its end").tag("status", status.name())
          .register(registry));
    }
    wavesSent = Counter.builder("restock.waves.sent")
        .description("Waves sent to the end of their quota or of their round (SPEC rule 9)")
        .register(registry);
    roundWaves = DistributionSummary.builder("restock.round.waves")
        .description("How many waves a round took, recorded when it ends").register(registry);
    conversions = Counter.builder("restock.conversions")
        .description("Buyers counted for the round that told them (SPEC rule 10)").register(registry);
    unitsSold = Counter.builder("restock.units.sold")
        .description("Units those buyers bought").register(registry);
    limiterWait = Timer.builder("restock.limiter.wait")
        .description("Time the send loop waited to hand a message on: its slot less the lead").register(registry);
    Gauge.builder("restock.rate.cap", () -> ratePerSecond)
        .description("Messages per second allowed across all instances").register(registry);
    // One scrape reads both gauges: ask Redis once for the pair, not once for each.
    Supplier<RestockJobs.Backlog> backlog =
        Suppliers.memoizeWithExpiration(jobs::backlog, Duration.ofSeconds(1));
    Gauge.builder("restock.jobs.pending", () -> backlog.get().pending())
        .description("Jobs delivered to a consumer and not yet acknowledged").register(registry);
    Gauge.builder("restock.jobs.lag", () -> backlog.get().lag())
        .description("Jobs in the stream not yet delivered to any consumer").register(registry);
  }

  public void sent() {
    sent.increment();
  }

  public void failed() {
    failed.increment();
  }

  public void unconfirmed(int count) {
    unconfirmed.increment(count);
  }

  void roundStarted() {
    started.increment();
  }

  public void roundEnded(RoundStatus status, Duration took, int waves) {
    finished.get(status).increment();
    durations.get(status).record(took);
    if (status != RoundStatus.IN_PROGRESS) {
      roundWaves.record(waves);
    }
  }

  void converted(int newBuyers, int units) {
    conversions.increment(newBuyers);
    unitsSold.increment(units);
  }

  public void wavesSent(int count) {
    wavesSent.increment(count);
  }

  public void waitedForSlot(long micros) {
    limiterWait.record(Duration.ofNanos(micros * 1_000));
  }
}
