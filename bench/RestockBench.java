import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end benchmark of the restock notifier: starts a webhook receiver and K service instances
 * on a database and Redis db of its own, restocks P products with N subscribers each at the same
 * moment, watches the rounds finish and reports what arrived at the receiver — the rate the
 * service promises is counted where messages arrive, so that is where it is measured.
 *
 * <p>Run from the repository root: {@code java bench/RestockBench.java [options]} (or through
 * bench/restock-bench.sh, which builds the jar first). Only the JDK is used.
 */
public class RestockBench {
  static final Path OUT = Path.of("bench", "out");
  static final int FIRST_PORT = 18080;
  static final int MAX_USERS_PER_REQUEST = 1_000_000;
  static final Duration POLL_EVERY = Duration.ofMillis(200);
  static final Duration HEALTH_DEADLINE = Duration.ofSeconds(90);

  // Exit codes: one per way a run can fail, so a script can tell them apart.
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_START = 3;
  static final int EXIT_TIMEOUT = 4;

  /** A run that cannot go on; carries the exit code to end with. */
  static final class BenchFailure extends RuntimeException {
    final int exitCode;

    BenchFailure(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Options
  // ---------------------------------------------------------------------------------------------

  record Options(int subscribers, int receiverDelayMs, int rate, int instances, int products,
      Integer soldOutAfter, Path jar, String heap, int redisDb, String dbName, boolean logNotifier,
      int warmup) {

    /** Thrown as the message of a parse "error" that is really a request for help. */
    static final String HELP = "help";

    static final String USAGE = """
        usage: java bench/RestockBench.java [options]   (run from the repository root)
          --subscribers N        subscribers per product (default 10000)
          --receiver-delay-ms D  the receiver waits D ms before answering 200 (default 0)
          --rate R               NOTIFY_RATE_PER_SEC for the service (default 500)
          --instances K          service instances on ports 18080.. (default 1)
          --products P           products, all restocked at once (default 1)
          --sold-out-after M     buy all stock of product 1 once the receiver has M of its messages
          --jar PATH             service jar (default target/restock-notifier.jar)
          --heap MAX             -Xmx for the service JVMs, e.g. 256m
          --redis-db N           Redis database for the run, flushed first (default 15)
          --db-name NAME         MySQL database for the run, dropped first (default restock_bench)
          --notifier log         the service's log notifier instead of the webhook: measures the
                                 engine's own ceiling (use a high --rate), from the rounds' times
          --warmup N             first a round of N subscribers on a product of its own, not
                                 counted: measures a service that has been running (JIT warm)
        NOTIFIER_CONCURRENCY and WORKER_THREADS, if set in the environment, reach the service.""";

    static Options parse(String[] args) {
      Map<String, String> given = new HashMap<>();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        if (name.equals("-h") || name.equals("--help")) {
          throw new IllegalArgumentException(HELP);
        }
        if (!name.startsWith("--") || i + 1 >= args.length) {
          throw new IllegalArgumentException("expected --option value, got '" + name + "'");
        }
        given.put(name.substring(2), args[++i]);
      }
      Options o = new Options(
          positive(given.remove("subscribers"), "subscribers", 10_000),
          atLeastZero(given.remove("receiver-delay-ms"), "receiver-delay-ms", 0),
          positive(given.remove("rate"), "rate", 500),
          positive(given.remove("instances"), "instances", 1),
          positive(given.remove("products"), "products", 1),
          given.containsKey("sold-out-after")
              ? positive(given.remove("sold-out-after"), "sold-out-after", 0) : null,
          Path.of(given.getOrDefault("jar", "target/restock-notifier.jar")),
          given.remove("heap"),
          atLeastZero(given.remove("redis-db"), "redis-db", 15),
          given.getOrDefault("db-name", "restock_bench"),
          notifier(given.remove("notifier")),
          atLeastZero(given.remove("warmup"), "warmup", 0));
      given.remove("jar");
      given.remove("db-name");
      if (!given.isEmpty()) {
        throw new IllegalArgumentException("unknown option(s): --" + String.join(", --", given.keySet()));
      }
      o.checkIsolation();
      return o;
    }

    private static boolean notifier(String value) {
      if (value == null || value.equals("webhook")) {
        return false;
      }
      if (value.equals("log")) {
        return true;
      }
      throw new IllegalArgumentException("--notifier is webhook or log, got '" + value + "'");
    }

    /** The run wipes its database and Redis db first, so it must never be pointed at the real ones. */
    private void checkIsolation() {
      if (!dbName.matches("[A-Za-z0-9_]{1,64}")) {
        throw new IllegalArgumentException("--db-name may hold only letters, digits and _");
      }
      if (dbName.equalsIgnoreCase("restock") || dbName.equalsIgnoreCase("mysql")
          || dbName.equalsIgnoreCase("sys") || dbName.toLowerCase(Locale.ROOT).endsWith("_schema")) {
        throw new IllegalArgumentException("--db-name " + dbName + " is not a benchmark database");
      }
      if (redisDb == 0 || redisDb > 99) {
        throw new IllegalArgumentException("--redis-db must be 1..99 (0 is the service's default)");
      }
      if (heap != null && !heap.matches("\\d+[kKmMgG]?")) {
        throw new IllegalArgumentException("--heap looks like 256m or 1g");
      }
    }

    long totalMessages() {
      return (long) subscribers * products;
    }

    String dbUrl() {
      return "jdbc:mysql://localhost:3306/" + dbName + "?createDatabaseIfNotExist=true";
    }

    String redisUrl() {
      return "redis://localhost:6379/" + redisDb;
    }

    private static int positive(String value, String name, int fallback) {
      int n = atLeastZero(value, name, fallback);
      if (value != null && n == 0) {
        throw new IllegalArgumentException("--" + name + " must be positive");
      }
      return n;
    }

    private static int atLeastZero(String value, String name, int fallback) {
      if (value == null) {
        return fallback;
      }
      try {
        int n = Integer.parseInt(value.replace("_", ""));
        if (n < 0) {
          throw new NumberFormatException();
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " must be a whole number >= 0, got '" + value + "'");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Minimal JSON reading: the service's answers are flat objects (or lists of them), so a field
  // can be picked out with a pattern; this keeps the benchmark free of libraries.
  // ---------------------------------------------------------------------------------------------

  static final class MiniJson {
    private static final Pattern OBJECT = Pattern.compile("\\{[^{}]*\\}");

    static String raw(String json, String field) {
      Matcher m = Pattern.compile("\"" + Pattern.quote(field)
          + "\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?|true|false|null)").matcher(json);
      if (!m.find()) {
        return null;
      }
      String v = m.group(1);
      return v.startsWith("\"") ? v.substring(1, v.length() - 1) : v.equals("null") ? null : v;
    }

    static long number(String json, String field) {
      String v = raw(json, field);
      if (v == null) {
        throw new IllegalStateException("no number '" + field + "' in " + abbreviate(json));
      }
      return Long.parseLong(v);
    }

    /** The first object of a JSON list, or null for an empty list. */
    static String firstObject(String jsonList) {
      Matcher m = OBJECT.matcher(jsonList);
      return m.find() ? m.group() : null;
    }

    static String abbreviate(String s) {
      return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The webhook receiver: where messages are counted and timed
  // ---------------------------------------------------------------------------------------------

  record Arrival(long nanos, long productId, long userId, int round) {}

  record MessageKey(long productId, int round, long userId) {}

  /** Runs once, when the receiver has seen {@code threshold} messages for {@code productId}. */
  record Watch(long productId, long threshold, Runnable action) {}

  static final class Receiver {
    private static final Pattern PRODUCT = Pattern.compile("\"productId\"\\s*:\\s*(\\d+)");
    private static final Pattern USER = Pattern.compile("\"userId\"\\s*:\\s*(\\d+)");
    private static final Pattern ROUND = Pattern.compile("\"restockRound\"\\s*:\\s*(\\d+)");

    private final HttpServer server;
    private final ExecutorService pool;
    private final long delayMs;
    private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    private final Set<MessageKey> seen = ConcurrentHashMap.newKeySet();
    private final Map<Long, AtomicLong> perProduct = new ConcurrentHashMap<>();
    private final Map<Long, AtomicLong> duplicates = new ConcurrentHashMap<>();
    private final AtomicLong unreadable = new AtomicLong();
    private volatile Watch watch;

    private Receiver(int delayMs, int rate) throws IOException {
      this.delayMs = delayMs;
      // Each message holds a thread for the delay; size the pool so that even at the cap the
      // receiver never queues requests (that would show up as a lower rate than the service's).
      int threads = Math.max(64, 2 * rate * delayMs / 1000 + 16);
      this.pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "receiver");
        t.setDaemon(true);
        return t;
      });
      this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
      server.createContext("/", this::handle);
      server.setExecutor(pool);
    }

    static Receiver start(int delayMs, int rate) throws IOException {
      Receiver receiver = new Receiver(delayMs, rate);
      receiver.server.start();
      return receiver;
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/notify");
    }

    /** Forgets everything received so far (the warm-up round's messages). */
    void forget() {
      arrivals.clear();
      seen.clear();
      perProduct.clear();
      duplicates.clear();
    }

    void watch(Watch w) {
      this.watch = w;
    }

    private void handle(HttpExchange exchange) throws IOException {
      // Time first: the cap is defined at the moment a message arrives, not when it is answered.
      long now = System.nanoTime();
      try (exchange; InputStream in = exchange.getRequestBody()) {
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        Arrival a = parse(now, body);
        if (a == null) {
          unreadable.incrementAndGet();
          exchange.sendResponseHeaders(400, -1);
          return;
        }
        record(a);
        if (delayMs > 0) {
          sleep(delayMs);
        }
        exchange.sendResponseHeaders(200, -1);
      }
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static Arrival parse(long now, String body) {
      Matcher p = PRODUCT.matcher(body);
      Matcher u = USER.matcher(body);
      Matcher r = ROUND.matcher(body);
      if (!p.find() || !u.find() || !r.find()) {
        return null;
      }
      return new Arrival(now, Long.parseLong(p.group(1)), Long.parseLong(u.group(1)),
          Integer.parseInt(r.group(1)));
    }

    private void record(Arrival a) {
      arrivals.add(a);
      if (!seen.add(new MessageKey(a.productId(), a.round(), a.userId()))) {
        duplicates.computeIfAbsent(a.productId(), id -> new AtomicLong()).incrementAndGet();
      }
      long n = perProduct.computeIfAbsent(a.productId(), id -> new AtomicLong()).incrementAndGet();
      Watch w = watch;
      if (w != null && w.productId() == a.productId() && n == w.threshold()) {
        w.action().run();
      }
    }

    long received(long productId) {
      AtomicLong n = perProduct.get(productId);
      return n == null ? 0 : n.get();
    }

    long duplicates(long productId) {
      AtomicLong n = duplicates.get(productId);
      return n == null ? 0 : n.get();
    }

    long unreadable() {
      return unreadable.get();
    }

    List<Arrival> arrivals() {
      return new ArrayList<>(arrivals);
    }

    void stop() {
      server.stop(0);
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Service instances
  // ---------------------------------------------------------------------------------------------

  record Instance(int index, int port, Process process, Path log, Path gcLog, long startedNanos) {
    URI base() {
      return URI.create("http://127.0.0.1:" + port);
    }
  }

  static final class Instances {
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
        System.out.printf(Locale.ROOT, "instance %d (port %d) healthy after %.2f s%n",
            instance.index(), instance.port(), seconds);
      }
    }

    private static Instance launch(Options o, Path jar, int k, URI webhook) throws IOException {
      int port = FIRST_PORT + k;
      Path log = OUT.resolve("instance-" + k + ".log");
      Path gcLog = OUT.resolve("gc-" + k + ".log");
      Files.deleteIfExists(gcLog);
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      if (o.heap() != null) {
        command.add("-Xmx" + o.heap());
      }
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
      all.forEach(i -> cpu.put(i.index(), cpuSeconds(i.process().toHandle())));
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

    private static String tail(Path file, int lines) {
      try {
        List<String> all = Files.readAllLines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The service's HTTP API, as the benchmark uses it
  // ---------------------------------------------------------------------------------------------

  record Response(int status, String body) {}

  /** One round as GET /products/{id}/notifications shows it. */
  record Round(int restockRound, String status, String lastNotifiedUserId, long notifiedCount,
      long totalSubscribers, String startedAt, String finishedAt) {
    boolean finished() {
      return !"IN_PROGRESS".equals(status);
    }

    /** Start to end of the round as the service recorded them (UTC, microseconds). */
    double seconds() {
      return Duration.between(java.time.LocalDateTime.parse(startedAt),
          java.time.LocalDateTime.parse(finishedAt)).toNanos() / 1e9;
    }

    static Round parse(String json) {
      return new Round((int) MiniJson.number(json, "restockRound"), MiniJson.raw(json, "status"),
          MiniJson.raw(json, "lastNotifiedUserId"), MiniJson.number(json, "notifiedCount"),
          MiniJson.number(json, "totalSubscribers"), MiniJson.raw(json, "startedAt"),
          MiniJson.raw(json, "finishedAt"));
    }
  }

  static final class Api {
    private final HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    private List<Instance> instances = List.of();

    void use(List<Instance> instances) {
      this.instances = instances;
    }

    /** Spreads calls over the instances, as a load balancer would. */
    URI base(int i) {
      return instances.get(Math.floorMod(i, instances.size())).base();
    }

    boolean healthy(Instance instance) {
      try {
        return call("GET", instance.base().resolve("/health"), null, Duration.ofSeconds(2)).status() == 200;
      } catch (IOException e) {
        return false;
      }
    }

    long createProduct(String name, int stock) throws IOException {
      Response r = expect(201, call("POST", base(0).resolve("/products"),
          "{\"name\":\"" + name + "\",\"stock\":" + stock + "}", Duration.ofSeconds(30)));
      return MiniJson.number(r.body(), "id");
    }

    long subscribe(int via, long productId, long from, long to) throws IOException {
      Response r = expect(201, call("POST", base(via).resolve("/admin/products/" + productId + "/subscriptions"),
          "{\"userIdFrom\":" + from + ",\"userIdTo\":" + to + "}", Duration.ofMinutes(30)));
      return MiniJson.number(r.body(), "created");
    }

    CompletableFuture<HttpResponse<String>> restockAsync(int via, long productId, int quantity) {
      return client.sendAsync(request("POST",
          base(via).resolve("/products/" + productId + "/notifications/re-stock"),
          "{\"quantity\":" + quantity + "}", Duration.ofSeconds(30)), HttpResponse.BodyHandlers.ofString());
    }

    /** The newest round, or null when the product has none yet. */
    Round latestRound(int via, long productId) throws IOException {
      Response r = expect(200, call("GET", base(via).resolve("/products/" + productId + "/notifications"),
          null, Duration.ofSeconds(10)));
      String first = MiniJson.firstObject(r.body());
      return first == null ? null : Round.parse(first);
    }

    long stock(long productId) throws IOException {
      Response r = expect(200, call("GET", base(0).resolve("/products/" + productId), null,
          Duration.ofSeconds(10)));
      return MiniJson.number(r.body(), "stock");
    }

    Response purchase(long productId, long quantity) throws IOException {
      return call("POST", base(0).resolve("/products/" + productId + "/purchases"),
          "{\"quantity\":" + quantity + "}", Duration.ofSeconds(10));
    }

    Response call(String method, URI uri, String body, Duration timeout) throws IOException {
      try {
        HttpResponse<String> r = client.send(request(method, uri, body, timeout),
            HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    private static HttpRequest request(String method, URI uri, String body, Duration timeout) {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
      if (body == null) {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
      }
      return b.build();
    }

    private static Response expect(int status, Response r) {
      if (r.status() != status) {
        throw new BenchFailure(EXIT_FAILED, "expected HTTP " + status + ", got " + r.status() + ": "
            + MiniJson.abbreviate(r.body()));
      }
      return r;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sold-out: buy everything left of product 1 in the middle of its round
  // ---------------------------------------------------------------------------------------------

  static final class SoldOut {
    private final Api api;
    private final long productId;
    private volatile Thread thread;
    volatile long purchaseStartNanos;
    volatile long purchaseDoneNanos;
    volatile long quantityBought;
    volatile String outcome = "purchase never triggered (round ended before the threshold)";

    SoldOut(Api api, long productId) {
      this.api = api;
      this.productId = productId;
    }

    /** Called on a receiver thread: the purchase runs on its own so the receiver is not held up. */
    void fire() {
      Thread t = new Thread(this::buyAll, "sold-out");
      t.setDaemon(true);
      thread = t;
      t.start();
    }

    private void buyAll() {
      purchaseStartNanos = System.nanoTime();
      try {
        // Stock can change between reading it and buying it; a 409 means "read again".
        for (int attempt = 1; attempt <= 20; attempt++) {
          long stock = api.stock(productId);
          if (stock == 0) {
            outcome = "stock was already 0";
            purchaseDoneNanos = System.nanoTime();
            return;
          }
          Response r = api.purchase(productId, stock);
          if (r.status() == 200) {
            purchaseDoneNanos = System.nanoTime();
            quantityBought = stock;
            outcome = "bought " + stock + " (attempt " + attempt + ")";
            return;
          }
          if (r.status() != 409) {
            outcome = "purchase failed: HTTP " + r.status() + " " + MiniJson.abbreviate(r.body());
            return;
          }
        }
        outcome = "purchase kept answering 409";
      } catch (IOException | RuntimeException e) {
        outcome = "purchase failed: " + e;
      }
    }

    void await() throws InterruptedException {
      Thread t = thread;
      if (t != null) {
        t.join(30_000);
      }
    }

    boolean bought() {
      return purchaseDoneNanos != 0;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The run
  // ---------------------------------------------------------------------------------------------

  record Product(int index, long id) {
    String label() {
      return "product " + (index + 1) + " (id " + id + ")";
    }
  }

  /** What the run saw, handed to the report. */
  record Outcome(List<Product> products, Map<Long, Round> rounds, long triggerNanos,
      double loadAtTrigger, boolean timedOut, SoldOut soldOut) {}

  static double cpuSeconds(ProcessHandle process) {
    return process.info().totalCpuDuration().map(d -> d.toMillis() / 1e3).orElse(Double.NaN);
  }

  /**
   * CPU used by the instances and by the benchmark itself while the rounds ran: on a small machine
   * they compete with each other, MySQL and Redis, which is worth knowing when reading the rate.
   */
  record CpuUse(Map<Integer, Double> instancesAtTrigger, Map<Integer, Double> instancesAtEnd,
      double benchAtTrigger, double benchAtEnd, double roundSeconds) {}

  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private final Options o;
  private final Api api = new Api();

  RestockBench(Options o) {
    this.o = o;
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      if (Options.HELP.equals(e.getMessage())) {
        System.out.println(Options.USAGE);
        System.exit(EXIT_OK);
      }
      System.err.println("error: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(EXIT_USAGE);
      return;
    }
    int code;
    try {
      code = new RestockBench(options).run();
    } catch (BenchFailure e) {
      System.err.println("BENCH FAILED: " + e.getMessage());
      code = e.exitCode;
    } catch (Exception e) {
      System.err.println("BENCH FAILED: " + e);
      e.printStackTrace();
      code = EXIT_FAILED;
    }
    System.exit(code);
  }

  int run() throws Exception {
    if (!Files.isRegularFile(o.jar())) {
      throw new BenchFailure(EXIT_START, "no service jar at " + o.jar().toAbsolutePath()
          + " (build it with ./mvnw -q -B package -DskipTests, or use bench/restock-bench.sh)");
    }
    Files.createDirectories(OUT);
    // Run a private copy: `mvn package` rewrites the jar in place, and a build during the run
    // (another terminal, an IDE) would otherwise break the instances mid-measurement.
    Path jar = Files.copy(o.jar(), OUT.resolve("service.jar"), StandardCopyOption.REPLACE_EXISTING);
    printConfig();
    resetStorage();
    Receiver receiver = Receiver.start(o.receiverDelayMs(), o.rate());
    Instances instances = new Instances();
    Outcome outcome;
    CpuUse cpu;
    try {
      instances.start(o, jar, receiver.url(), api);
      api.use(instances.all());
      if (o.warmup() > 0) {
        warmUp(receiver);
      }
      List<Product> products = createProducts();
      seedSubscribers(products);
      SoldOut soldOut = null;
      if (o.soldOutAfter() != null) {
        soldOut = new SoldOut(api, products.get(0).id());
        receiver.watch(new Watch(products.get(0).id(), o.soldOutAfter(), soldOut::fire));
      }
      Map<Integer, Double> cpuAtTrigger = instances.cpuNow();
      double benchCpuAtTrigger = cpuSeconds(ProcessHandle.current());
      // The receiver times arrivals; a pause of its own JVM would bunch them and read as a burst
      // from the service. Collect now, with a young generation (see restock-bench.sh) big
      // enough that no collection falls inside the rounds.
      System.gc();
      long triggerNanos = triggerAll(products);
      outcome = awaitRounds(products, triggerNanos, receiver, soldOut);
      cpu = new CpuUse(cpuAtTrigger, instances.cpuNow(), benchCpuAtTrigger,
          cpuSeconds(ProcessHandle.current()), (System.nanoTime() - triggerNanos) / 1e9);
      if (soldOut != null) {
        soldOut.await();
      }
    } finally {
      System.out.println("stopping instances...");
      instances.stop();
      receiver.stop();
    }
    Report report = new Report(o, outcome, receiver, instances, cpu);
    report.print();
    report.writeArrivals(OUT.resolve("arrivals.csv"));
    if (outcome.timedOut()) {
      throw new BenchFailure(EXIT_TIMEOUT, "timed out: not every round reached a final status "
          + "within " + deadline().toSeconds() + " s (see the report above and bench/out/instance-*.log)");
    }
    return EXIT_OK;
  }

  private void printConfig() {
    System.out.printf(Locale.ROOT, "restock bench: %d product(s) x %d subscribers, rate %d/s, %d instance(s), "
            + "receiver delay %d ms%s%n", o.products(), o.subscribers(), o.rate(), o.instances(),
        o.receiverDelayMs(), o.soldOutAfter() == null ? "" : ", sold out after " + o.soldOutAfter());
    System.out.printf("service: %s, DB %s, Redis %s, heap %s, NOTIFIER_CONCURRENCY=%s, WORKER_THREADS=%s%n",
        o.jar(), o.dbUrl(), o.redisUrl(), o.heap() == null ? "JVM default" : o.heap(),
        System.getenv().getOrDefault("NOTIFIER_CONCURRENCY", "default"),
        System.getenv().getOrDefault("WORKER_THREADS", "default"));
  }

  /** A clean slate every run: the service migrates the dropped database afresh on start. */
  private void resetStorage() throws IOException, InterruptedException {
    runTool("mariadb", "-h127.0.0.1", "-P3306", "-uroot", "-e", "DROP DATABASE IF EXISTS `" + o.dbName() + "`");
    runTool("redis-cli", "-h", "127.0.0.1", "-p", "6379", "-n", Integer.toString(o.redisDb()), "FLUSHDB");
  }

  private static void runTool(String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new BenchFailure(EXIT_START, "cannot run " + command[0] + ": " + e.getMessage());
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new BenchFailure(EXIT_START, String.join(" ", command) + " failed: " + output);
    }
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
    System.out.printf(Locale.ROOT, "warm-up round of %d subscribers: %s%n", o.warmup(), round.status());
    receiver.forget();
  }

  private List<Product> createProducts() throws IOException {
    // Stock well above anything a round can use, so only --sold-out-after ever sells out.
    List<Product> products = new ArrayList<>();
    for (int i = 0; i < o.products(); i++) {
      products.add(new Product(i, api.createProduct("bench product " + (i + 1), 1_000_000)));
    }
    return products;
  }

  /** Each product gets users 1..N; products are seeded in parallel, each through its own instance. */
  private void seedSubscribers(List<Product> products) throws Exception {
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(products.size());
    try {
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (Product p : products) {
        all.add(CompletableFuture.runAsync(() -> seedOne(p), pool));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    } finally {
      pool.shutdownNow();
    }
    System.out.printf(Locale.ROOT, "seeded %d subscriber(s) in %.1f s%n", o.totalMessages(),
        (System.nanoTime() - started) / 1e9);
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
    System.out.printf(Locale.ROOT, "triggered %d round(s) in %.1f ms%n", products.size(),
        (System.nanoTime() - triggerNanos) / 1e6);
    return triggerNanos;
  }

  /** Generous: five times the ideal duration plus a minute for start-up and slow receivers. */
  private Duration deadline() {
    double idealSeconds = (o.totalMessages() - 1) / (double) o.rate();
    return Duration.ofSeconds((long) Math.ceil(5 * idealSeconds) + 60);
  }

  private Outcome awaitRounds(List<Product> products, long triggerNanos, Receiver receiver,
      SoldOut soldOut) throws InterruptedException {
    double loadAtTrigger = loadAverage();
    long deadline = triggerNanos + deadline().toNanos();
    long nextProgress = triggerNanos + TimeUnit.SECONDS.toNanos(1);
    Map<Long, Round> latest = new LinkedHashMap<>();
    while (true) {
      poll(products, latest);
      if (latest.size() == products.size() && latest.values().stream().allMatch(Round::finished)) {
        printProgress(products, latest, triggerNanos, receiver);
        return new Outcome(products, latest, triggerNanos, loadAtTrigger, false, soldOut);
      }
      long now = System.nanoTime();
      if (now >= nextProgress) {
        printProgress(products, latest, triggerNanos, receiver);
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

  private void printProgress(List<Product> products, Map<Long, Round> latest, long triggerNanos,
      Receiver receiver) {
    double t = (System.nanoTime() - triggerNanos) / 1e9;
    for (Product p : products) {
      Round r = latest.get(p.id());
      System.out.printf(Locale.ROOT, "[%6.1fs] %s: %s, receiver has %d%n", t, p.label(),
          r == null ? "no round yet" : r.notifiedCount() + "/" + r.totalSubscribers() + " " + r.status(),
          receiver.received(p.id()));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The report
  // ---------------------------------------------------------------------------------------------

  static final class Report {
    private static final long SECOND = 1_000_000_000L;
    private static final Pattern GC_LINE =
        Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    private final Options o;
    private final Outcome outcome;
    private final Receiver receiver;
    private final Instances instances;
    private final CpuUse cpu;
    private final List<Arrival> arrivals;

    Report(Options o, Outcome outcome, Receiver receiver, Instances instances, CpuUse cpu) {
      this.o = o;
      this.cpu = cpu;
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
              + (o.warmup() == 0 ? ", cold service" : ", after a warm-up round of " + o.warmup()));
      if (outcome.timedOut()) {
        line("RESULT: TIMED OUT (figures below are partial)");
      }
      // Rates depend on spare CPU: a busy machine is worth knowing about when reading them.
      line("machine: %d CPUs, load average at trigger %.2f, at end %.2f", Runtime.getRuntime().availableProcessors(),
          outcome.loadAtTrigger(), loadAverage());
      instances.secondsToHealthy().forEach((k, s) -> line("instance %d start-up to healthy: %.2f s", k, s));
      outcome.products().forEach(this::product);
      aggregate();
      if (outcome.soldOut() != null) {
        soldOut(outcome.soldOut());
      }
      heap();
      cpu();
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
      int window = maxInOneSecond();
      line("max in any 1 s window: %d = %.1f%% of cap%s", window, 100.0 * window / o.rate(),
          window > o.rate() ? "  <-- OVER THE CAP" : "");
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

    /** Exact: every window that could hold the most starts at an arrival, so sweep those. */
    private int maxInOneSecond() {
      int best = 0;
      int end = 0;
      for (int start = 0; start < arrivals.size(); start++) {
        long limit = arrivals.get(start).nanos() + SECOND;
        while (end < arrivals.size() && arrivals.get(end).nanos() < limit) {
          end++;
        }
        best = Math.max(best, end - start);
      }
      return best;
    }

    /** How unevenly products shared the rate: gap between their last arrivals, vs the run. */
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
      line("sell-out purchase took: %.1f ms (read stock + buy)", (s.purchaseDoneNanos - s.purchaseStartNanos) / 1e6);
      line("messages for %s arriving while the purchase was under way: %d", first.label(), during);
      line("messages for %s arriving after the purchase response: %d", first.label(), after);
    }

    /** Peak heap from -Xlog:gc: the largest heap after a GC (live data) and before one (peak use). */
    private void heap() {
      for (Instance i : instances.all()) {
        long maxAfter = 0;
        long maxBefore = 0;
        int gcs = 0;
        try {
          for (String l : Files.readAllLines(i.gcLog())) {
            Matcher m = GC_LINE.matcher(l);
            if (m.find()) {
              gcs++;
              maxBefore = Math.max(maxBefore, bytes(m.group(1), m.group(2)));
              maxAfter = Math.max(maxAfter, bytes(m.group(3), m.group(4)));
            }
          }
        } catch (IOException e) {
          line("instance %d heap: no GC log (%s)", i.index(), e.getMessage());
          continue;
        }
        if (gcs == 0) {
          line("instance %d heap: no GC logged", i.index());
        } else {
          line("instance %d peak heap after GC: %d MB (before GC: %d MB, %d GCs)", i.index(),
              maxAfter >> 20, maxBefore >> 20, gcs);
        }
      }
    }

    /** CPU time from trigger to the last round's end, as a share of one CPU over that time. */
    private void cpu() {
      cpu.instancesAtEnd().forEach((k, end) -> cpuLine("instance " + k,
          end - cpu.instancesAtTrigger().getOrDefault(k, Double.NaN)));
      cpuLine("bench JVM (receiver, polling)", cpu.benchAtEnd() - cpu.benchAtTrigger());
    }

    private void cpuLine(String who, double seconds) {
      line("%s CPU during the rounds: %.1f s over %.1f s (%.0f%% of one CPU)", who, seconds,
          cpu.roundSeconds(), 100 * seconds / cpu.roundSeconds());
    }

    private static long bytes(String amount, String unit) {
      long n = Long.parseLong(amount);
      return switch (unit) {
        case "K" -> n << 10;
        case "M" -> n << 20;
        default -> n << 30;
      };
    }

    private static void line(String format, Object... args) {
      System.out.println(String.format(Locale.ROOT, format, args));
    }
  }
}
