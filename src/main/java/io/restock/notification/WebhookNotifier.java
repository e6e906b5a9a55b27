package io.restock.notification;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** POSTs {"productId","userId","restockRound"} to a URL; any 2xx answer is a delivery. */
public final class WebhookNotifier implements Notifier, AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final URI url;
  private final ExecutorService executor;
  private final HttpClient client;

  public WebhookNotifier(URI url, int concurrency) {
    this.url = url;
    this.executor = Executors.newFixedThreadPool(Math.max(2, Math.min(concurrency, 8)), r -> {
      Thread thread = new Thread(r, "webhook");
      thread.setDaemon(true);
      return thread;
    });
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .executor(executor)
        .build();
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
    return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenAccept(response -> {
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException("webhook answered " + response.statusCode());
      }
    });
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
