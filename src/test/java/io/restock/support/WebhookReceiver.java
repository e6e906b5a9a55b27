package io.restock.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A message provider on loopback: records what it accepts, and every request as it came (headers
 * and raw body, for checking signatures); can answer chosen users (or everyone) with an error
 * status, once or every time, and can be slow or stall.
 */
public final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A message the receiver accepted (answered 2xx). */
  public record Delivery(long productId, long userId, int round, long arrivedNanos, String key) {}

  /**
   * Any request that reached the receiver, and the status it was (or will be) answered; its
   * headers by name in any case (the first value of each) and its body byte for byte.
   */
  public record Request(long userId, long arrivedNanos, int status, Map<String, String> headers,
      byte[] body) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  private final HttpServer server;
  private final List<Delivery> accepted = new CopyOnWriteArrayList<>();
  private final Map<Long, Integer> statusByUser = new ConcurrentHashMap<>();
  private final Map<Long, Integer> statusOnceByUser = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  /** How to answer everyone not answered otherwise; one value, so a request sees both at once. */
  private record Answer(int status, long delayMillis) {}

  private volatile Answer forAll = new Answer(204, 0);
  private final Map<Long, Long> delayByUser = new ConcurrentHashMap<>();
  private volatile String retryAfter;

  public WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
    // A thread per request until it is whole: the service writes each request but its last byte
    // ahead of the message's slot. Too few threads, and requests would wait for one with their
    // last byte in, then be timed late and together, as a burst the service never sent.
    // Highest priority (passed to the OS by the tests' -XX:ThreadPriorityPolicy=1, as root): the
    // receiver is the instrument, and must not time arrivals late because the services it
    // measures, in this JVM or beside it, have the CPU.
    server.setExecutor(Executors.newFixedThreadPool(256, r -> {
      Thread thread = new Thread(r, "test-receiver");
      thread.setDaemon(true);
      thread.setPriority(Thread.MAX_PRIORITY);
      return thread;
    }));
    server.createContext("/notify", this::handle);
    // The dispatcher thread, which hands each readable connection to those threads, takes the
    // priority of the thread that starts the server: started from the test's it would run below
    // them, level with the services, and hand requests on late and together.
    Thread starter = new Thread(server::start, "test-receiver-start");
    starter.setPriority(Thread.MAX_PRIORITY);
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the receiver", e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/notify";
  }

  /** Answers 500 to this user's messages: an error worth retrying. */
  public void refuse(long userId) {
    answer(userId, 500);
  }

  /** Answers {@code status} to this user's messages. */
  public void answer(long userId, int status) {
    statusByUser.put(userId, status);
  }

  /** Answers {@code status} to this user's next message only: a later attempt is accepted. */
  public void answerOnce(long userId, int status) {
    statusOnceByUser.put(userId, status);
  }

  /** Answers {@code status} to every message not answered otherwise; 204 accepts them. */
  public void answerAll(int status) {
    forAll = new Answer(status, forAll.delayMillis());
  }

  /** From now on holds every request {@code millis}, then answers {@code status}. */
  public void stall(long millis, int status) {
    forAll = new Answer(status, millis);
  }

  /** Sends a Retry-After header with every error answer; null for none. */
  public void retryAfter(String value) {
    retryAfter = value;
  }

  public void acceptAll() {
    statusByUser.clear();
    statusOnceByUser.clear();
    forAll = new Answer(204, forAll.delayMillis());
    retryAfter = null;
  }

  /** Every request that reached the receiver, answered or not, in arrival order. */
  public List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** Holds this user's requests {@code millis} before answering them. */
  public void delay(long userId, long millis) {
    delayByUser.put(userId, millis);
  }

  public void delay(long millis) {
    forAll = new Answer(forAll.status(), millis);
  }

  /**
   * Answers a few thousand messages of its own (product 0), then forgets them: for a test that
   * times arrivals, so that a receiver still interpreting its handler does not time the first
   * ones late and in bunches.
   */
  public WebhookReceiver warmedUp() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    for (int i = 1; i <= 3_000; i++) {
      String body = "{\"productId\":0,\"userId\":" + i + ",\"restockRound\":0}";
      client.send(HttpRequest.newBuilder(URI.create(url()))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
    }
    clear();
    return this;
  }

  public void clear() {
    accepted.clear();
    acceptAll();
    requests.clear();
    delayByUser.clear();
    delay(0);
  }

  public List<Delivery> accepted() {
    return new ArrayList<>(accepted);
  }

  public List<Delivery> accepted(long productId) {
    return accepted.stream().filter(d -> d.productId() == productId).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      // Arrived when whole: before parsing it, and before any hold the test asked for.
      long arrived = System.nanoTime();
      JsonNode body = JSON.readTree(raw);
      long userId = body.get("userId").asLong();
      // Decided on arrival: a request held and then refused was not delivered, whatever the
      // receiver is told to do meanwhile.
      Answer answer = forAll;
      Integer once = statusOnceByUser.remove(userId);
      int status = once != null ? once : statusByUser.getOrDefault(userId, answer.status());
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
      requests.add(new Request(userId, arrived, status, headers, raw));
      long hold = Math.max(answer.delayMillis(), delayByUser.getOrDefault(userId, 0L));
      if (hold > 0) {
        Thread.sleep(hold);
      }
      if (status / 100 != 2) {
        if (retryAfter != null) {
          exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      accepted.add(new Delivery(body.get("productId").asLong(), userId,
          body.get("restockRound").asInt(), arrived,
          exchange.getRequestHeaders().getFirst("Idempotency-Key")));
      exchange.sendResponseHeaders(204, -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The most deliveries that arrived within any window of {@code windowNanos}. */
  public static int maxInWindow(List<Delivery> deliveries, long windowNanos) {
    long[] times = deliveries.stream().mapToLong(Delivery::arrivedNanos).sorted().toArray();
    int best = 0;
    for (int start = 0, end = 0; end < times.length; end++) {
      while (times[end] - times[start] >= windowNanos) {
        start++;
      }
      best = Math.max(best, end - start + 1);
    }
    return best;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
