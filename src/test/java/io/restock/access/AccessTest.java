package io.restock.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.support.Api;
import io.restock.support.ServiceExtension;
import io.restock.support.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.RedisClient;

/**
 * SPEC rule 12 over every route: no token or a wrong one is 401, the shop's token on an
 * operator route is 403, and a refused request changes nothing; the tokens that open a route get
 * the answer its handler gives.
 */
class AccessTest {
  static final String SHOP_TOKEN = "shop-7f3a9c1e5b2d4f60";
  static final String ADMIN_TOKEN = "admin-2b8e6d0a4c9f1e37";
  private static final String WRONG_TOKEN = "wrong-5d1c3e7a9b0f2468";

  @RegisterExtension static final ServiceExtension service =
      ServiceExtension.start(Map.of("SHOP_TOKEN", SHOP_TOKEN, "ADMIN_TOKEN", ADMIN_TOKEN,
          "BIND_ADDRESS", "127.0.0.1"));
  private final Api admin = service.api().withToken(ADMIN_TOKEN);
  private long productId;

  /** A route, a request to it that would change something if let through, and its answer then. */
  record Route(String method, String route, String path, String body, Role role, int allowed) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** Who calls: the Authorization header they send (null: none). */
  enum Caller {
    NO_TOKEN(null), WRONG_TOKEN("Bearer " + AccessTest.WRONG_TOKEN),
    SHOP("Bearer " + SHOP_TOKEN), ADMIN("Bearer " + ADMIN_TOKEN);

    final String authorization;

    Caller(String authorization) {
      this.authorization = authorization;
    }
  }

  private static final List<Route> ROUTES = List.of(
      new Route("GET", "/health", "/health", null, Role.OPEN, 200),
      new Route("GET", "/openapi.json", "/openapi.json", null, Role.OPEN, 200),
      new Route("GET", "/products/{productId}", "/products/{p}", null, Role.OPEN, 200),
      new Route("POST", "/products", "/products", "{\"name\":\"New\",\"stock\":1}", Role.SHOP, 201),
      new Route("PUT", "/products/{productId}/stock", "/products/{p}/stock", "{\"stock\":9}",
          Role.SHOP, 200),
      new Route("GET", "/products/{productId}/notification-policy",
          "/products/{p}/notification-policy", null, Role.SHOP, 200),
      new Route("PUT", "/products/{productId}/notification-policy",
          "/products/{p}/notification-policy",
          "{\"perUnit\":2,\"waveIntervalSeconds\":60,\"minStock\":1}", Role.SHOP, 200),
      new Route("POST", "/products/{productId}/purchases", "/products/{p}/purchases",
          "{\"quantity\":1}", Role.SHOP, 200),
      new Route("PUT", "/products/{productId}/subscriptions/{userId}",
          "/products/{p}/subscriptions/8", null, Role.SHOP, 201),
      new Route("DELETE", "/products/{productId}/subscriptions/{userId}",
          "/products/{p}/subscriptions/7", null, Role.SHOP, 204),
      new Route("POST", "/products/{productId}/notifications/re-stock",
          "/products/{p}/notifications/re-stock", "{\"quantity\":1}", Role.SHOP, 202),
      new Route("GET", "/products/{productId}/notifications", "/products/{p}/notifications", null,
          Role.SHOP, 200),
      new Route("GET", "/products/{productId}/notifications/{round}/users",
          "/products/{p}/notifications/1/users", null, Role.ADMIN, 200),
      new Route("GET", "/products/{productId}/notifications/{round}/rejections",
          "/products/{p}/notifications/1/rejections", null, Role.ADMIN, 200),
      new Route("GET", "/metrics", "/metrics", null, Role.ADMIN, 200),
      new Route("POST", "/admin/products/{productId}/subscriptions",
          "/admin/products/{p}/subscriptions", "{\"userIdFrom\":1,\"userIdTo\":3}", Role.ADMIN, 201),
      // Round 1 has completed: the resend is refused (409), and only an operator gets that far.
      new Route("POST", "/admin/products/{productId}/notifications/re-stock",
          "/admin/products/{p}/notifications/re-stock", null, Role.ADMIN, 409));

  static Stream<Arguments> everyRouteForEveryCaller() {
    return ROUTES.stream().flatMap(route -> Arrays.stream(Caller.values())
        .map(caller -> Arguments.of(route, caller)));
  }

  /** A product with stock 5, user 7 waiting for it, and its round 1 over (user 7 told). */
  @BeforeEach
  void productWithACompletedRound() {
    productId = admin.createProduct("Guarded", 5);
    admin.subscribeRange(productId, 7, 7);
    assertEquals(202, admin.post("/products/" + productId + "/notifications/re-stock", null).status());
    assertEquals("COMPLETED",
        admin.awaitRoundEnd(productId, Duration.ofSeconds(10)).get("status").asText());
  }

  @Test
  void the_table_covers_every_route_with_the_role_it_declares() {
    Map<String, Role> tabled = new TreeMap<>();
    ROUTES.forEach(route -> tabled.put(route.method() + " " + route.route(), route.role()));
    assertEquals(new TreeMap<>(service.routes()), tabled);
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("everyRouteForEveryCaller")
  void each_route_answers_each_caller_as_its_role_says(Route route, Caller caller) throws Exception {
    Api api = caller.authorization == null
        ? service.api() : service.api().withAuthorization(caller.authorization);
    String path = route.path().replace("{p}", Long.toString(productId));
    int expected = statusFor(route.role(), caller, route.allowed());
    if (expected == route.allowed()) {
      assertEquals(expected, api.call(route.method(), path, route.body()).status());
      return;
    }
    Map<String, List<String>> before = storedState();
    Api.Response refused = api.call(route.method(), path, route.body());
    assertEquals(expected, refused.status(), refused.toString());
    assertEquals(expected == 401 ? "UNAUTHORIZED" : "FORBIDDEN", refused.json().get("error").asText());
    assertEquals(expected == 401 ? "Bearer" : null,
        refused.headers().firstValue("WWW-Authenticate").orElse(null));
    assertEquals(before, storedState(), "a refused request changed stored state");
  }

  /** SPEC rule 12: open routes for all; a token for the rest; the admin's for operator routes. */
  private static int statusFor(Role role, Caller caller, int allowed) {
    return switch (caller) {
      case NO_TOKEN, WRONG_TOKEN -> role == Role.OPEN ? allowed : 401;
      case SHOP -> role == Role.ADMIN ? 403 : allowed;
      case ADMIN -> allowed;
    };
  }

  @ParameterizedTest(name = "Authorization: {0}")
  @ValueSource(strings = {"", "Bearer", "Bearer ", SHOP_TOKEN, "Basic " + SHOP_TOKEN,
      "Bearer " + SHOP_TOKEN + "x", "Bearer x" + SHOP_TOKEN, "Bearer shop-7f3a9c1e5b2d4f6",
      "Bearer " + SHOP_TOKEN + " " + ADMIN_TOKEN, "BearerX" + SHOP_TOKEN})
  void a_malformed_or_near_miss_authorization_header_is_401(String header) {
    Api.Response refused = service.api().withAuthorization(header)
        .put("/products/" + productId + "/stock", "{\"stock\":0}");
    assertEquals(401, refused.status(), refused.toString());
    assertEquals(5, admin.get("/products/" + productId).json().get("stock").asInt());
  }

  @Test
  void the_scheme_is_case_insensitive_as_http_authentication_says() {
    assertEquals(200, service.api().withAuthorization("bearer " + SHOP_TOKEN)
        .put("/products/" + productId + "/stock", "{\"stock\":6}").status());
    assertEquals(200, service.api().withAuthorization("BEARER " + ADMIN_TOKEN)
        .get("/products/" + productId + "/notifications/1/users").status());
  }

  @Test
  void no_answer_echoes_a_token_not_even_metrics_after_refusals() {
    List<Api.Response> answers = new ArrayList<>();
    answers.add(service.api().withToken(WRONG_TOKEN).post("/products", "{\"name\":\"x\",\"stock\":1}"));
    answers.add(service.api().withToken(SHOP_TOKEN).get("/metrics"));
    answers.add(service.api().withToken(SHOP_TOKEN)
        .post("/admin/products/" + productId + "/subscriptions", "{\"userIdFrom\":1,\"userIdTo\":2}"));
    answers.add(admin.get("/metrics"));
    assertEquals(List.of(401, 403, 403, 200), answers.stream().map(Api.Response::status).toList());
    for (Api.Response answer : answers) {
      for (String token : List.of(WRONG_TOKEN, SHOP_TOKEN, ADMIN_TOKEN)) {
        assertFalse(answer.body().contains(token), "a token in " + answer);
        assertFalse(answer.headers().map().toString().contains(token), "a token in the headers");
      }
    }
  }

  @Test
  void the_users_told_are_for_operators_and_the_shop_gets_403() {
    Api.Response forShop = service.api().withToken(SHOP_TOKEN)
        .get("/products/" + productId + "/notifications/1/users");
    assertEquals(403, forShop.status());
    assertFalse(forShop.body().contains("userIds"), forShop.body());
    assertEquals(List.of(7L), admin.notifiedUsers(productId, 1));
  }

  /**
   * What any write could touch: every table's rows, and the job stream's last id, which only a
   * new job moves (finished jobs are deleted from the stream, which does not lower it).
   */
  private static Map<String, List<String>> storedState() throws SQLException {
    Map<String, List<String>> state = new TreeMap<>();
    try (Connection c = TestServices.get().connect(); Statement s = c.createStatement()) {
      for (String table : List.of("product", "product_user_notification",
          "product_notification_history", "product_user_notification_history",
          "product_user_notification_rejection")) {
        state.put(table, rows(s, "SELECT * FROM " + table + " ORDER BY id"));
      }
    }
    try (RedisClient redis = TestServices.get().redis()) {
      state.put("restock:jobs", List.of(redis.exists("restock:jobs")
          ? redis.xinfoStream("restock:jobs").getLastGeneratedId().toString() : "none"));
    }
    return state;
  }

  private static List<String> rows(Statement s, String query) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(query)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(rs.getString(i)).append('|');
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
