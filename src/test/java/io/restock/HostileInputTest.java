package io.restock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.support.Api;
import io.restock.support.RunningApp;
import io.restock.support.TestServices;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A fuzz run: random methods, paths, ids and bodies at every endpoint. Whatever comes in, the
 * answer is never a 500 and never a stack trace, every error has the spec's shape, and a refused
 * request leaves the database as it was. The seed is printed so a failure can be replayed.
 */
class HostileInputTest {
  private static final int REQUESTS = 1_500;
  private static final List<String> METHODS =
      List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
  private static final List<String> PATHS = List.of(
      "/products", "/products/{id}", "/products/{id}/stock", "/products/{id}/purchases",
      "/products/{id}/subscriptions/{id}", "/admin/products/{id}/subscriptions",
      "/products/{id}/notifications/re-stock", "/admin/products/{id}/notifications/re-stock",
      "/products/{id}/notifications", "/products/{id}/notifications/{id}/users",
      "/products/{id}/notifications/{id}/users?after={id}&limit={id}", "/health", "/{id}");
  private static final List<String> IDS = List.of("1", "2", "0", "-1", "abc", "1.5", "%20",
      "99999999999999999999999", "9223372036854775807", "%C3%BC", "1e3", "", "null", "x".repeat(300));

  @Test
  void random_requests_never_get_a_500_and_refused_ones_change_nothing() throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("HostileInputTest seed: " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
    Random random = new Random(seed);
    try (RunningApp app = RunningApp.start(Map.of())) {
      Api api = app.api();
      api.createProduct("Target", 3);
      api.createProduct("Other", 0);
      for (int i = 0; i < REQUESTS; i++) {
        String method = pick(random, METHODS);
        String path = pick(random, PATHS);
        while (path.contains("{id}")) {
          path = path.replaceFirst("\\{id}", pick(random, IDS));
        }
        String body = body(random);
        String before = fingerprint();
        Api.Response response;
        try {
          response = api.call(method, path, body);
        } catch (UncheckedIOException e) {
          // The server may close the connection on a 10 MB upload after answering 413.
          assertTrue(body != null && body.length() > 1_000_000, method + " " + path + ": " + e);
          assertEquals(before, fingerprint(), "an oversized request changed the database");
          continue;
        }
        String what = "seed " + seed + ", " + method + " " + path + " " + abbreviate(body)
            + " -> " + response;
        assertTrue(response.status() < 500, what);
        assertFalse(response.body().contains("Exception") || response.body().contains("\tat "), what);
        if (response.status() >= 400) {
          JsonNode error = response.json();
          assertTrue(error.hasNonNull("error") && error.hasNonNull("message"), what);
          assertEquals(before, fingerprint(), "refused but changed the database: " + what);
        }
      }
    }
  }

  private static String body(Random random) {
    return switch (random.nextInt(14)) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> "{\"name\":\"" + "é😀\u0000\\u202e".repeat(random.nextInt(20)) + "\",\"stock\":1}";
      case 3 -> "{\"stock\":" + pick(random, List.of("-5", "1e400", "99999999999999999999",
          "\"7\"", "true", "null", "[]", "{}", "0.5", "2147483648", "NaN")) + "}";
      case 4 -> "{\"quantity\":" + pick(random, List.of("1", "0", "-1", "2147483647",
          "2147483648", "\"x\"", "1.0", "[1]")) + "}";
      case 5 -> "{\"userIdFrom\":" + pick(random, List.of("1", "0", "-3", "10", "1e12",
          "9223372036854775000", "9223372036854775807"))
          + ",\"userIdTo\":" + pick(random, List.of("5", "10000000", "1", "\"2\"", "null",
          "9223372036854775807", "9223372036854775808")) + "}";
      case 6 -> "[".repeat(2_000 + random.nextInt(20_000)) + "]".repeat(10);
      case 7 -> "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000);
      case 8 -> random.nextInt(40) == 0 ? "x".repeat(10 * 1024 * 1024) : "{\"name\":\"a\",\"stock\":2}";
      case 9 -> "{\"name\":\"" + "n".repeat(70_000) + "\",\"stock\":1}";
      case 10 -> "{\"name\":";
      case 11 -> "\u00ff\u00fe\u0000garbage";
      case 12 -> "{\"name\":\"ok\",\"stock\":1} {\"again\":true}";
      default -> "null";
    };
  }

  /** Everything a refused request must not change (history rows move with running rounds). */
  private static String fingerprint() throws Exception {
    try (Connection c = TestServices.get().connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("""
            SELECT (SELECT CONCAT(COUNT(*), '/', COALESCE(SUM(stock), 0), '/',
                                  COALESCE(SUM(restock_round), 0)) FROM product),
                   (SELECT CONCAT(COUNT(*), '/', COALESCE(SUM(is_active), 0))
                      FROM product_user_notification),
                   (SELECT COUNT(*) FROM product_notification_history)""")) {
      rs.next();
      return rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3);
    }
  }

  private static String abbreviate(String body) {
    return body == null ? "(no body)" : body.length() <= 80 ? body : body.substring(0, 80) + "…";
  }

  private static <T> T pick(Random random, List<T> items) {
    return items.get(random.nextInt(items.size()));
  }
}
