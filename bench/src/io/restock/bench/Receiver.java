package io.restock.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The webhook receiver on loopback: where messages are counted and timed. */
final class Receiver {
  /** Runs once, when the receiver has seen {@code threshold} messages for {@code productId}. */
  record Watch(long productId, long threshold, Runnable action) {}

  private record MessageKey(long productId, int round, long userId) {}

  /** The pool's threads, found again by this name to put them on the real-time scheduler. */
  private static final String THREAD_NAME = "receiver";
  /** The JDK server's own thread (its name as /proc shows it, 15 characters at most). */
  private static final String DISPATCHER_NAME = "HTTP-Dispatcher";
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
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong signed = new AtomicLong();
  private volatile Watch watch;
  private String scheduling = "normal scheduling";

  private Receiver(int delayMs, int rate) throws IOException {
    this.delayMs = delayMs;
    // Each message holds a thread for the delay; size the pool so that even at the cap the
    // receiver never queues requests (that would show up as a lower rate than the service's).
    int threads = Math.max(64, 2 * rate * delayMs / 1000 + 16);
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, THREAD_NAME);
      t.setDaemon(true);
      t.setPriority(Thread.MAX_PRIORITY);
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

  /**
   * Answers a few thousand messages of its own, then forgets them. The receiver stands for a
   * provider, which is warm: a cold one, still interpreting its handler, times the first
   * arrivals late and in bunches, which reads as a burst the service never sent.
   */
  void warmUp() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    for (int i = 1; i <= 3_000; i++) {
      String body = "{\"productId\":0,\"userId\":" + i + ",\"restockRound\":0}";
      client.send(HttpRequest.newBuilder(url()).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.discarding());
    }
    forget();
  }

  /**
   * Puts the receiver's threads (the pool's, all made by the warm-up, and the JDK server's
   * dispatcher) on the real-time scheduler, SCHED_FIFO priority 1, with chrt; {@link #scheduling()}
   * says what it did, for the report. A provider counts arrivals at its own edge, undisturbed by
   * this machine. On the normal scheduler the stamps were now and then up to 8 ms behind the
   * requests' last bytes on the wire, when other threads held both CPUs, and such a run read 501
   * at the receiver against 498 on the wire; real-time, at most 0.09-5.1 ms behind (60 runs).
   */
  void runRealTime() throws IOException, InterruptedException {
    List<String> threads = new ArrayList<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        String name;
        try {
          name = Files.readString(task.resolve("comm")).strip();
        } catch (NoSuchFileException ended) {
          continue; // a thread that ended meanwhile (the warm-up's HTTP client's)
        }
        if (name.equals(THREAD_NAME) || name.equals(DISPATCHER_NAME)) {
          threads.add(task.getFileName().toString());
        }
      }
    }
    for (String tid : threads) {
      Process chrt = new ProcessBuilder("chrt", "--fifo", "-p", "1", tid).redirectErrorStream(true)
          .start();
      String out = new String(chrt.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (chrt.waitFor() != 0) {
        scheduling = "normal scheduling, stamps may lag the wire by several ms (chrt: " + out + ")";
        return;
      }
    }
    scheduling = threads.size() + " threads real-time (SCHED_FIFO 1)";
  }

  String scheduling() {
    return scheduling;
  }

  /** Forgets everything received so far (the warm-up round's messages). */
  void forget() {
    arrivals.clear();
    requests.set(0);
    signed.set(0);
    seen.clear();
    perProduct.clear();
    duplicates.clear();
  }

  void watch(Watch w) {
    this.watch = w;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      byte[] whole = in.readAllBytes();
      // Timed as soon as the request is whole: the cap is defined at the moment a message
      // arrives, not when it is answered. Not before: the server hands a request over once its
      // headers are in, and a sender may write the request ahead and hold its last byte back.
      long now = System.nanoTime();
      requests.incrementAndGet();
      if (exchange.getRequestHeaders().containsKey("webhook-signature")) {
        signed.incrementAndGet();
      }
      String body = new String(whole, StandardCharsets.UTF_8);
      Arrival a = parse(now, body);
      if (a == null) {
        unreadable.incrementAndGet();
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      record(a);
      if (delayMs > 0 && a.productId() != 0) { // product 0: the receiver's own warm-up
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
      increment(duplicates, a.productId());
    }
    long n = increment(perProduct, a.productId());
    Watch w = watch;
    if (w != null && w.productId() == a.productId() && n == w.threshold()) {
      w.action().run();
    }
  }

  long received(long productId) {
    return count(perProduct, productId);
  }

  long duplicates(long productId) {
    return count(duplicates, productId);
  }

  long unreadable() {
    return unreadable.get();
  }

  /** Requests received (retries included), and those of them with a webhook-signature header. */
  long requests() {
    return requests.get();
  }

  long signed() {
    return signed.get();
  }

  List<Arrival> arrivals() {
    return new ArrayList<>(arrivals);
  }

  void stop() {
    server.stop(0);
    pool.shutdownNow();
  }

  private static long increment(Map<Long, AtomicLong> counts, long productId) {
    return counts.computeIfAbsent(productId, id -> new AtomicLong()).incrementAndGet();
  }

  private static long count(Map<Long, AtomicLong> counts, long productId) {
    AtomicLong n = counts.get(productId);
    return n == null ? 0 : n.get();
  }
}
