package io.restock.bench;

import static io.restock.bench.BenchFailure.EXIT_FAILED;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The service's HTTP API, as the benchmark uses it. */
final class Api {
  record Response(int status, String body) {}

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
    Response r = expect(201, call("POST", 0, "/products",
        "{\"name\":\"" + name + "\",\"stock\":" + stock + "}", Duration.ofSeconds(30)));
    return MiniJson.number(r.body(), "id");
  }

  long subscribe(int via, long productId, long from, long to) throws IOException {
    Response r = expect(201, call("POST", via, "/admin/products/" + productId + "/subscriptions",
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
    Response r = expect(200, call("GET", via, "/products/" + productId + "/notifications", null,
        Duration.ofSeconds(10)));
    String first = MiniJson.firstObject(r.body());
    return first == null ? null : Round.parse(first);
  }

  void setPolicy(long productId, int perUnit, int waveIntervalSeconds) throws IOException {
    expect(200, call("PUT", 0, "/products/" + productId + "/notification-policy",
        "{\"perUnit\":" + perUnit + ",\"waveIntervalSeconds\":" + waveIntervalSeconds + "}",
        Duration.ofSeconds(10)));
  }

  /** The instance's /metrics, Prometheus text. */
  String metrics(Instance instance) throws IOException {
    return expect(200, call("GET", instance.base().resolve("/metrics"), null, Duration.ofSeconds(10))).body();
  }

  long stock(long productId) throws IOException {
    Response r = expect(200, call("GET", 0, "/products/" + productId, null, Duration.ofSeconds(10)));
    return MiniJson.number(r.body(), "stock");
  }

  /** PUT /products/{id}/stock: the shop sets the stock outright. */
  Response setStock(long productId, long stock) throws IOException {
    return call("PUT", 0, "/products/" + productId + "/stock", "{\"stock\":" + stock + "}",
        Duration.ofSeconds(10));
  }

  Response purchase(long productId, long quantity) throws IOException {
    return call("POST", 0, "/products/" + productId + "/purchases", "{\"quantity\":" + quantity + "}",
        Duration.ofSeconds(10));
  }

  /** A call to {@code path} on the instance {@link #base(int) base(via)} picks. */
  private Response call(String method, int via, String path, String body, Duration timeout)
      throws IOException {
    return call(method, base(via).resolve(path), body, timeout);
  }

  private Response call(String method, URI uri, String body, Duration timeout) throws IOException {
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
