package io.restock.notification;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * POSTs {"productId","userId","restockRound"} to a URL; any 2xx answer is a delivery. Each send
 * runs on one of a fixed set of threads (as many as may be in flight): the JDK client's own
 * sendAsync hands every answer to CompletableFuture's default executor, which on a machine with
 * two cores starts a new thread per task.
 */
public final class WebhookNotifier implements Notifier, AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** Runs on the sending thread around each request. */
  public interface SendGate {
    /** Right before the request is written; may wait, or throw {@link NotSent} to hold it back. */
    void beforeSend(Notification notification);

    /** The provider did not take the message: an error answer, no answer, or no connection. */
    void notTaken(Notification notification);
  }

  private final URI url;
  private final SendGate gate;
  private final ExecutorService senders;
  private final HttpClient client;

  public WebhookNotifier(URI url, int threads, SendGate gate) {
    this.url = url;
    this.gate = gate;
    AtomicInteger count = new AtomicInteger();
    this.senders = Executors.newFixedThreadPool(threads, r -> {
      Thread thread = new Thread(r, "webhook-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  /**
   * Runs the HTTP client's whole request path a few times against a throwaway server on
   * loopback, off the start-up path. Its first use loads and initialises a few hundred classes;
   * done by the first real sends at once, that stalls them and they reach the provider in a
   * bunch (seen as up to 50 in 50 ms at 500/s). Nothing is sent to the provider here.
   */
  public void warmUp() {
    HttpServer local;
    try {
      local = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      return;
    }
    local.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    local.start();
    try {
      URI target = URI.create("http://127.0.0.1:" + local.getAddress().getPort() + "/");
      CompletableFuture.allOf(java.util.stream.IntStream.range(0, 32)
          .mapToObj(i -> CompletableFuture.runAsync(() -> deliver(HttpRequest.newBuilder(target)
              .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofString("{}")).build()), senders))
          .toArray(CompletableFuture[]::new)).join();
    } catch (RuntimeException e) {
      // A warm-up that fails changes nothing: the first real sends will just be slower.
    } finally {
      local.stop(0);
    }
  }

  @Override
  public CompletableFuture<Void> send(Notification n) {
    String body = "{\"productId\":" + n.productId() + ",\"userId\":" + n.userId()
        + ",\"restockRound\":" + n.restockRound() + "}";
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", n.idempotencyKey())
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return CompletableFuture.runAsync(() -> {
      gate.beforeSend(n);
      try {
        deliver(request);
      } catch (RuntimeException e) {
        gate.notTaken(n);
        throw e;
      }
    }, senders);
  }

  private void deliver(HttpRequest request) {
    try {
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status / 100 != 2) {
        throw new IllegalStateException("webhook answered " + status);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  @Override
  public void close() {
    senders.shutdownNow();
  }
}
