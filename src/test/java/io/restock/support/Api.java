package io.restock.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A small JSON client for the service under test. */
public final class Api {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client;
  private final String base;
  /** The Authorization header every request carries, if any. */
  private final Optional<String> authorization;

  public record Response(int status, String body, HttpHeaders headers) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("Not JSON: " + body, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Api(int port) {
    this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
        "http://127.0.0.1:" + port, Optional.empty());
  }

  private Api(HttpClient client, String base, Optional<String> authorization) {
    this.client = client;
    this.base = base;
    this.authorization = authorization;
  }

  /** The same service, called as {@code Authorization: Bearer <token>}. */
  public Api withToken(String token) {
    return withAuthorization("Bearer " + token);
  }

  /** The same service, every request carrying this Authorization header as it is. */
  public Api withAuthorization(String header) {
    return new Api(client, base, Optional.of(header));
  }

  public Response get(String path) {
    return call("GET", path, null);
  }

  public Response post(String path, String body) {
    return call("POST", path, body);
  }

  public Response put(String path, String body) {
    return call("PUT", path, body);
  }

  public Response delete(String path) {
    return call("DELETE", path, null);
  }

  public Response call(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    authorization.ifPresent(header -> request.header("Authorization", header));
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Creates a product and returns its id. */
  public long createProduct(String name, int stock) {
    Response created = post("/products", "{\"name\":\"" + name + "\",\"stock\":" + stock + "}");
    if (created.status() != 201) {
      throw new IllegalStateException("create product: " + created);
    }
    return created.json().get("id").asLong();
  }

  public void subscribeRange(long productId, long from, long to) {
    Response r = post("/admin/products/" + productId + "/subscriptions",
        "{\"userIdFrom\":" + from + ",\"userIdTo\":" + to + "}");
    if (r.status() != 201) {
      throw new IllegalStateException("bulk subscribe: " + r);
    }
  }

  /** Waits until the newest round of the product has ended; returns it. */
  public JsonNode awaitRoundEnd(long productId, java.time.Duration timeout) {
    return Poll.until(timeout, "round of product " + productId + " to end",
        () -> latestRound(productId),
        round -> round != null && !"IN_PROGRESS".equals(round.get("status").asText()));
  }

  /** Every user told in a round, in send order, read page by page through the API. */
  public java.util.List<Long> notifiedUsers(long productId, int round) {
    java.util.List<Long> users = new java.util.ArrayList<>();
    String after = "0";
    while (after != null) {
      Response page = get("/products/" + productId + "/notifications/" + round
          + "/users?limit=1000&after=" + after);
      if (page.status() != 200) {
        throw new IllegalStateException("users page: " + page);
      }
      page.json().get("userIds").forEach(id -> users.add(id.asLong()));
      JsonNode next = page.json().get("next");
      after = next.isNull() ? null : next.asText();
    }
    return users;
  }

  /** The newest round of a product as the API shows it. */
  public JsonNode latestRound(long productId) {
    return get("/products/" + productId + "/notifications").json().get(0);
  }
}
