package io.restock.bench;

import static io.restock.bench.BenchFailure.EXIT_FAILED;
import static io.restock.bench.BenchFailure.EXIT_START;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * --api-load C: a flash-sale rush on instance 0 while the rounds send, made by three wrk
 * processes (one per kind of request, each -t1) started the moment the trigger is answered.
 * The shop's own traffic competes with the sending for CPU, the database and product 1's row
 * lock; the report shows what is left of the rate inside the rush. With --api-warmup S the same
 * mix first runs for S seconds before the trigger, on a product of its own: the rush then meets
 * a service whose API code the JIT has compiled, as in a shop that has been open for a while.
 */
final class ApiLoad {
  /** One kind of request: its wrk script, its connections, the status it should answer. */
  record Kind(String name, String script, int connections, int expectedStatus, List<String> args) {}

  /** Far above any seeded user (1..N), so every subscription of the rush is a new one (201). */
  static final long FIRST_RUSH_USER = 1_000_000_000L;
  /** The warm-up's subscribers: above the rush's, so the rush's stay new too. */
  private static final long FIRST_WARMUP_USER = 2_000_000_000L;
  private static final Path SCRIPTS = Path.of("bench", "wrk");

  private final Options o;
  private final String name;
  private final String logPrefix;
  private final int seconds;
  private final List<Kind> kinds;
  private final List<Process> processes = new ArrayList<>();
  private final List<CompletableFuture<Void>> exits = new ArrayList<>();
  private final List<WrkResult> results = new ArrayList<>();
  /** When the last wrk exited: stamped as it exits, since await() runs only after the rounds. */
  private final AtomicLong lastExitNanos = new AtomicLong();
  private long startNanos;

  /** The rush: {@code productId} is the product being restocked; {@code otherId} one that is not. */
  static ApiLoad rush(Options o, long productId, long otherId) {
    return new ApiLoad(o, "api load", "wrk-", o.apiLoadSeconds(), productId, otherId, FIRST_RUSH_USER);
  }

  /** The warm-up before the trigger, on a product bought and read by nobody else. */
  static ApiLoad warmUp(Options o, long productId, long otherId) {
    return new ApiLoad(o, "api warm-up", "wrk-warmup-", o.apiWarmupSeconds(), productId, otherId,
        FIRST_WARMUP_USER);
  }

  private ApiLoad(Options o, String name, String logPrefix, int seconds, long productId, long otherId,
      long firstUser) {
    this.o = o;
    this.name = name;
    this.logPrefix = logPrefix;
    this.seconds = seconds;
    int quarter = o.apiLoad() / 4;
    // Half buy, a quarter read, a quarter subscribe; an odd remainder goes to the buyers.
    this.kinds = List.of(
        new Kind("purchase", "purchase.lua", o.apiLoad() - 2 * quarter, 200, List.of(Long.toString(productId))),
        new Kind("product read", "product.lua", quarter, 200, List.of(Long.toString(productId))),
        new Kind("subscribe", "subscribe.lua", quarter, 201,
            List.of(Long.toString(otherId), Long.toString(firstUser))));
  }

  /** Fails before anything starts, rather than after the seeding, when wrk is missing. */
  static void requireWrk() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "wrk"))) {
        return;
      }
    }
    throw new BenchFailure(EXIT_START, "--api-load needs wrk on the PATH (Debian: apt-get install -y wrk;"
        + " bench/restock-bench.sh installs it when run as root)");
  }

  void start() throws IOException {
    startNanos = System.nanoTime();
    for (Kind k : kinds) {
      Process p = launch(k);
      processes.add(p);
      exits.add(p.onExit().thenRun(() -> lastExitNanos.accumulateAndGet(System.nanoTime(), Math::max)));
    }
    Print.line("%s: %d connections on instance 0 for %d s (%s)", name, o.apiLoad(), seconds,
        String.join(", ", kinds.stream().map(k -> k.connections() + " " + k.name()).toList()));
  }

  private Process launch(Kind k) throws IOException {
    // --timeout 30s: wrk leaves an answer slower than its timeout (default 2 s) out of the latency
    // figures and counts it as a timeout error instead, so p99 and max would hide the slowest.
    List<String> command = new ArrayList<>(List.of("wrk", "-t1", "-c" + k.connections(),
        "-d" + seconds + "s", "--timeout", "30s", "--latency", "-s",
        SCRIPTS.resolve(k.script()).toString(),
        "http://127.0.0.1:" + Instances.FIRST_PORT, "--"));
    command.addAll(k.args());
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(k).toFile()).start();
  }

  /**
   * Waits for the three to end and reads their summaries. The rush's window runs from just before
   * the first was started to the moment the last had exited (a few ms more than wrk's -d).
   */
  void await() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 30L);
    try {
      // The stamps, not the processes: once these are done, the window's end is known.
      for (CompletableFuture<Void> exit : exits) {
        exit.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException | ExecutionException e) {
      stop();
      throw new BenchFailure(EXIT_FAILED, "wrk did not end within " + (seconds + 30) + " s");
    }
    for (Kind k : kinds) {
      String summary = Files.readAllLines(log(k)).stream().filter(l -> l.startsWith("WRK ")).findFirst()
          .orElseThrow(() -> new BenchFailure(EXIT_FAILED, "wrk (" + k.name() + ") printed no summary; see " + log(k)));
      results.add(WrkResult.parse(k, summary));
    }
  }

  /** Ends any wrk still running (the run failed before the rush was over). */
  void stop() {
    processes.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
  }

  /** One per kind of request, once {@link #await()} has returned. */
  List<WrkResult> results() {
    return results;
  }

  long startNanos() {
    return startNanos;
  }

  long endNanos() {
    return lastExitNanos.get();
  }

  private Path log(Kind k) {
    return RestockBench.OUT.resolve(logPrefix + k.script().replace(".lua", ".log"));
  }
}
