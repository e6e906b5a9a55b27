package io.restock.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A message provider on loopback: records what it accepts, can refuse chosen users or be slow. */
public final class WebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A message the receiver accepted (answered 2xx). */
  public record Delivery(long productId, long userId, int round, long arrivedNanos, String key) {}

  private final HttpServer server;
  private final List<Delivery> accepted = new CopyOnWriteArrayList<>();
  private final Set<Long> refusedUsers = ConcurrentHashMap.newKeySet();
  private volatile long delayMillis;

  public WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
    server.setExecutor(Executors.newFixedThreadPool(64));
    server.createContext("/notify", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/notify";
  }

  public void refuse(long userId) {
    refusedUsers.add(userId);
  }

  public void acceptAll() {
    refusedUsers.clear();
  }

  public void delay(long millis) {
    delayMillis = millis;
  }

  public void clear() {
    accepted.clear();
    refusedUsers.clear();
    delayMillis = 0;
  }

  public List<Delivery> accepted() {
    return new ArrayList<>(accepted);
  }

  public List<Delivery> accepted(long productId) {
    return accepted.stream().filter(d -> d.productId() == productId).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      long userId = body.get("userId").asLong();
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
      if (refusedUsers.contains(userId)) {
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      accepted.add(new Delivery(body.get("productId").asLong(), userId,
          body.get("restockRound").asInt(), System.nanoTime(),
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
