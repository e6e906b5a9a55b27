package io.restock.bench;

import static io.restock.bench.BenchFailure.EXIT_FAILED;
import static io.restock.bench.BenchFailure.EXIT_OK;
import static io.restock.bench.BenchFailure.EXIT_START;
import static io.restock.bench.BenchFailure.EXIT_TIMEOUT;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One run, start to end: storage, receiver, instances, products, the trigger, the report. */
final class BenchRun {
  private final Options o;
  private final Api api = new Api();

  BenchRun(Options o) {
    this.o = o;
  }

  int run() throws Exception {
    if (!Files.isRegularFile(o.jar())) {
      throw new BenchFailure(EXIT_START, "no service jar at " + o.jar().toAbsolutePath()
          + " (build it with ./mvnw -q -B package -DskipTests, or use bench/restock-bench.sh)");
    }
    Files.createDirectories(RestockBench.OUT);
    // Run a private copy: `mvn package` rewrites the jar in place, and a build during the run
    // (another terminal, an IDE) would otherwise break the instances mid-measurement.
    Path jar = Files.copy(o.jar(), RestockBench.OUT.resolve("service.jar"), StandardCopyOption.REPLACE_EXISTING);
    printConfig();
    if (o.apiLoad() != null) {
      ApiLoad.requireWrk();
    }
    Storage.reset(o);
    Receiver receiver = Receiver.start(o.receiverDelayMs(), o.rate());
    receiver.warmUp();
    receiver.runRealTime();
    Instances instances = new Instances();
    RoundWatch rounds = new RoundWatch(o, api, receiver);
    Outcome outcome;
    CpuUse cpu;
    SigningCost signing;
    ApiLoad load = null;
    Wire wire = null;
    String onTheWire = null;
    try {
      instances.start(o, jar, receiver.url(), api);
      api.use(instances.all());
      if (o.warmup() > 0) {
        warmUp(receiver);
      }
      List<Product> products = createProducts();
      if (o.apiLoad() != null) {
        // The rush's subscriptions go to a product of their own, never restocked, so they add
        // writes to the database without adding subscribers to the rounds being measured.
        long others = api.createProduct("bench rush subscriptions", 0);
        load = ApiLoad.rush(o, products.get(0).id(), others);
        if (o.apiWarmupSeconds() > 0) {
          warmUpApi(others);
        }
      }
      new Seeder(api, o).seed(products);
      if (o.waves() != null) {
        WaveBench waves = new WaveBench(o, api, receiver, instances);
        waves.prepare(products.get(0));
        System.gc();
        return waves.measure(products.get(0), triggerAll(products));
      }
      SoldOut soldOut = null;
      if (o.soldOutAfter() != null) {
        soldOut = new SoldOut(api, products.get(0).id(), load != null);
        receiver.watch(new Receiver.Watch(products.get(0).id(), o.soldOutAfter(), soldOut::fire));
      }
      Map<Integer, Double> cpuAtTrigger = instances.cpuNow();
      double benchCpuAtTrigger = CpuUse.cpuSeconds(ProcessHandle.current());
      long[] machineAtTrigger = CpuUse.machineTicks();
      Map<Integer, SigningCost.Reading> signingAtTrigger = SigningCost.readAll(api, instances.all());
      if (o.wire()) {
        wire = Wire.record(receiver.url().getPort());
      }
      // The receiver times arrivals; a pause of its own JVM would bunch them and read as a burst
      // from the service. Collect now, with a young generation (see restock-bench.sh) big
      // enough that no collection falls inside the rounds.
      System.gc();
      long triggerNanos = triggerAll(products);
      if (load != null) {
        load.start();
      }
      outcome = rounds.await(products, triggerNanos, soldOut);
      cpu = new CpuUse(cpuAtTrigger, instances.cpuNow(), benchCpuAtTrigger,
          CpuUse.cpuSeconds(ProcessHandle.current()), (System.nanoTime() - triggerNanos) / 1e9,
          machineAtTrigger, CpuUse.machineTicks());
      signing = new SigningCost(signingAtTrigger, SigningCost.readAll(api, instances.all()),
          SigningCost.secretsInEnvironment());
      if (soldOut != null) {
        soldOut.await();
      }
      if (load != null) {
        load.await();
      }
      if (wire != null) {
        onTheWire = wire.stopAndRead(o.rate());
      }
    } finally {
      if (load != null) {
        load.stop();
      }
      if (wire != null) {
        wire.stop();
      }
      System.out.println("stopping instances...");
      instances.stop();
      receiver.stop();
    }
    Report report = new Report(o, outcome, receiver, instances, cpu, signing, load);
    report.print();
    if (onTheWire != null) {
      Print.line("%s", onTheWire);
    }
    report.writeArrivals(RestockBench.OUT.resolve("arrivals.csv"));
    if (outcome.timedOut()) {
      throw new BenchFailure(EXIT_TIMEOUT, "timed out: not every round reached a final status "
          + "within " + rounds.deadline().toSeconds() + " s (see the report above and bench/out/instance-*.log)");
    }
    return EXIT_OK;
  }

  private void printConfig() {
    Print.line("restock bench: %d product(s) x %d subscribers, rate %d/s, %d instance(s), "
            + "receiver delay %d ms%s", o.products(), o.subscribers(), o.rate(), o.instances(),
        o.receiverDelayMs(), (o.soldOutAfter() == null ? "" : ", sold out after " + o.soldOutAfter())
            + o.apiLoadLabel());
    Print.line("service: %s, DB %s, Redis %s, heap %s, NOTIFIER_CONCURRENCY=%s, WORKER_THREADS=%s,"
            + " webhook signing secrets: %d",
        o.jar(), o.dbUrl(), o.redisUrl(), o.heap() == null ? "JVM default" : o.heap(),
        System.getenv().getOrDefault("NOTIFIER_CONCURRENCY", "default"),
        System.getenv().getOrDefault("WORKER_THREADS", "default"), SigningCost.secretsInEnvironment());
  }

  /** A round nobody counts, so the measured ones meet JIT-compiled code, as in a running service. */
  private void warmUp(Receiver receiver) throws Exception {
    long id = api.createProduct("bench warm-up", 1_000_000);
    api.subscribe(0, id, 1, o.warmup());
    api.restockAsync(0, id, 0).join();
    long deadline = System.nanoTime() + Duration.ofSeconds(60 + 4L * o.warmup() / o.rate()).toNanos();
    Round round = api.latestRound(0, id);
    while (round == null || !round.finished()) {
      if (System.nanoTime() > deadline) {
        throw new BenchFailure(EXIT_TIMEOUT, "the warm-up round did not finish");
      }
      Thread.sleep(200);
      round = api.latestRound(0, id);
    }
    Print.line("warm-up round of %d subscribers: %s", o.warmup(), round.status());
    receiver.forget();
  }

  /** The rush's mix, on a product of its own, until the JIT has compiled the API's code. */
  private void warmUpApi(long others) throws Exception {
    ApiLoad warm = ApiLoad.warmUp(o, api.createProduct("bench api warm-up", 2_000_000_000), others);
    warm.start();
    warm.await();
    for (WrkResult r : warm.results()) {
      Print.line("api warm-up %s: %.1f req/s, p99 %.2f ms, %d unexpected answers", r.kind().name(),
          r.perSecond(), r.p99Us() / 1000.0, r.unexpected());
    }
  }

  private List<Product> createProducts() throws IOException {
    // Stock well above anything a round can use, so only --sold-out-after ever sells out; with
    // --waves, the stock the waves are sized to.
    int stock = o.waves() == null ? 1_000_000 : WaveBench.STOCK;
    List<Product> products = new ArrayList<>();
    for (int i = 0; i < o.products(); i++) {
      products.add(new Product(i, api.createProduct("bench product " + (i + 1), stock)));
    }
    return products;
  }

  /** All restocks leave together (async), each through the instance its product belongs to. */
  private long triggerAll(List<Product> products) {
    long triggerNanos = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (Product p : products) {
      sent.add(api.restockAsync(p.index(), p.id(), 0));
    }
    for (int i = 0; i < products.size(); i++) {
      HttpResponse<String> r = sent.get(i).join();
      if (r.statusCode() != 202) {
        throw new BenchFailure(EXIT_FAILED, "restock of " + products.get(i).label() + " answered "
            + r.statusCode() + ": " + MiniJson.abbreviate(r.body()));
      }
    }
    Print.line("triggered %d round(s) in %.1f ms", products.size(), (System.nanoTime() - triggerNanos) / 1e6);
    return triggerNanos;
  }
}
