package io.restock.bench;

import static io.restock.bench.BenchFailure.EXIT_START;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The service instances: started from the jar on ports 18080.., watched, and stopped. */
final class Instances {
  static final int FIRST_PORT = 18080;
  static final Duration HEALTH_DEADLINE = Duration.ofSeconds(90);

  private final List<Instance> all = new ArrayList<>();
  private final Map<Integer, Double> secondsToHealthy = new LinkedHashMap<>();

  Instances() {
    // Whatever happens to the benchmark (Ctrl-C, a crash), no service may outlive it.
    Runtime.getRuntime().addShutdownHook(new Thread(this::killQuietly, "bench-cleanup"));
  }

  /** Starts all K at once (as a deployment would) and waits for each to answer /health. */
  void start(Options o, Path jar, URI webhook, Api api) throws IOException, InterruptedException {
    for (int k = 0; k < o.instances(); k++) {
      requirePortFree(FIRST_PORT + k);
    }
    for (int k = 0; k < o.instances(); k++) {
      all.add(launch(o, jar, k, webhook));
    }
    for (Instance instance : all) {
      double seconds = awaitHealthy(instance, api);
      secondsToHealthy.put(instance.index(), seconds);
      Print.line("instance %d (port %d) healthy after %.2f s", instance.index(), instance.port(), seconds);
    }
  }

  private static Instance launch(Options o, Path jar, int k, URI webhook) throws IOException {
    int port = FIRST_PORT + k;
    Path log = RestockBench.OUT.resolve("instance-" + k + ".log");
    Path gcLog = RestockBench.OUT.resolve("gc-" + k + ".log");
    Files.deleteIfExists(gcLog);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (o.heap() != null) {
      command.add("-Xmx" + o.heap());
    }
    // The service's own JVM options, as the image runs it (path from the repository root).
    command.add("@src/main/jvm/restock.jvmopts");
    command.add("-Xlog:gc:file=" + gcLog);
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("PORT", Integer.toString(port));
    env.put("DB_URL", o.dbUrl());
    env.put("REDIS_URL", o.redisUrl());
    env.put("NOTIFY_RATE_PER_SEC", Integer.toString(o.rate()));
    if (!o.logNotifier()) {
      env.put("NOTIFIER_WEBHOOK_URL", webhook.toString());
    }
    long started = System.nanoTime();
    return new Instance(k, port, pb.start(), log, gcLog, started);
  }

  /** Refuses a taken port: /health there would be some other service answering, not ours. */
  private static void requirePortFree(int port) {
    try (ServerSocket probe = new ServerSocket(port)) {
      probe.setReuseAddress(true);
    } catch (IOException e) {
      throw new BenchFailure(EXIT_START, "port " + port + " is already in use; is another "
          + "benchmark or service running there?");
    }
  }

  private double awaitHealthy(Instance instance, Api api) throws InterruptedException {
    long deadline = instance.startedNanos() + HEALTH_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      if (!instance.process().isAlive()) {
        throw new BenchFailure(EXIT_START, "instance " + instance.index() + " exited with code "
            + instance.process().exitValue() + " before it was healthy; last log lines:\n"
            + tail(instance.log(), 20));
      }
      if (api.healthy(instance)) {
        return (System.nanoTime() - instance.startedNanos()) / 1e9;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new BenchFailure(EXIT_START, "instance " + instance.index() + " not healthy after "
        + HEALTH_DEADLINE.toSeconds() + " s; last log lines:\n" + tail(instance.log(), 20));
  }

  List<Instance> all() {
    return all;
  }

  Map<Integer, Double> secondsToHealthy() {
    return secondsToHealthy;
  }

  /** CPU seconds each instance has used so far. */
  Map<Integer, Double> cpuNow() {
    Map<Integer, Double> cpu = new LinkedHashMap<>();
    all.forEach(i -> cpu.put(i.index(), CpuUse.cpuSeconds(i.process().toHandle())));
    return cpu;
  }

  /** SIGTERM first so each instance hands its rounds back cleanly, then force if it hangs. */
  void stop() throws InterruptedException {
    all.forEach(i -> i.process().destroy());
    for (Instance i : all) {
      if (!i.process().waitFor(30, TimeUnit.SECONDS)) {
        System.out.println("instance " + i.index() + " did not stop in 30 s; killing it");
        i.process().destroyForcibly();
        i.process().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private void killQuietly() {
    for (Instance i : all) {
      if (i.process().isAlive()) {
        i.process().destroyForcibly();
      }
    }
  }

  private static String tail(Path file, int count) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
