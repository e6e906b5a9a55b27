package io.restock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.support.Api;
import io.restock.support.ServiceExtension;
import io.restock.support.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every refused request: the right 4xx, the spec's JSON shape, no stack trace, nothing written. */
class ErrorResponsesTest {
  @RegisterExtension static final ServiceExtension service = ServiceExtension.start(Map.of());
  final Api api = service.api();
  static long productId;

  @BeforeEach
  void product() {
    productId = api.createProduct("Only", 5);
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3} {4}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "POST | /products | `{\"name\":` | 400 | MALFORMED_JSON",
    "POST | /products | `not json` | 400 | MALFORMED_JSON",
    "POST | /products | `` | 400 | BAD_REQUEST",
    "POST | /products | `[]` | 400 | BAD_REQUEST",
    "POST | /products | `{\"name\":\"x\"}` | 400 | BAD_REQUEST",
    "POST | /products | `{\"stock\":1}` | 400 | BAD_REQUEST",
    "POST | /products | `{\"name\":\"x\",\"stock\":-1}` | 400 | BAD_REQUEST",
    "POST | /products | `{\"name\":\"x\",\"stock\":\"5\"}` | 400 | BAD_REQUEST",
    "POST | /products | `{\"name\":\"x\",\"stock\":1.5}` | 400 | BAD_REQUEST",
    "POST | /products | `{\"name\":\"x\",\"stock\":99999999999999999999}` | 400 | BAD_REQUEST",
    "POST | /products | `{\"name\":\"x\",\"stock\":true}` | 400 | BAD_REQUEST",
    "POST | /products | `{\"name\":{},\"stock\":1}` | 400 | BAD_REQUEST",
    "POST | /products | `{\"name\":\"x\",\"stock\":1} trailing` | 400 | MALFORMED_JSON",
    "GET | /products/abc | `` | 400 | BAD_REQUEST",
    "GET | /products/-4 | `` | 400 | BAD_REQUEST",
    "GET | /products/0 | `` | 400 | BAD_REQUEST",
    "GET | /products/99999999999999999999 | `` | 400 | BAD_REQUEST",
    "GET | /products/987654 | `` | 404 | NOT_FOUND",
    "PUT | /products/987654/stock | `{\"stock\":1}` | 404 | NOT_FOUND",
    "PUT | /products/{p}/stock | `{\"stock\":-3}` | 400 | BAD_REQUEST",
    "PUT | /products/{p}/stock | `{}` | 400 | BAD_REQUEST",
    "POST | /products/{p}/purchases | `{\"quantity\":0}` | 400 | BAD_REQUEST",
    "POST | /products/{p}/purchases | `{\"quantity\":-1}` | 400 | BAD_REQUEST",
    "POST | /products/987654/purchases | `{\"quantity\":1}` | 404 | NOT_FOUND",
    "PUT | /products/987654/subscriptions/1 | `` | 404 | NOT_FOUND",
    "PUT | /products/{p}/subscriptions/zero | `` | 400 | BAD_REQUEST",
    "DELETE | /products/987654/subscriptions/1 | `` | 404 | NOT_FOUND",
    "POST | /admin/products/{p}/subscriptions | `{\"userIdFrom\":5,\"userIdTo\":1}` | 400 | BAD_REQUEST",
    "POST | /admin/products/{p}/subscriptions | `{\"userIdFrom\":0,\"userIdTo\":1}` | 400 | BAD_REQUEST",
    "POST | /admin/products/{p}/subscriptions | `{\"userIdFrom\":1,\"userIdTo\":10000000}` | 400 | BAD_REQUEST",
    "POST | /admin/products/{p}/subscriptions | `{\"userIdFrom\":1}` | 400 | BAD_REQUEST",
    "POST | /admin/products/987654/subscriptions | `{\"userIdFrom\":1,\"userIdTo\":2}` | 404 | NOT_FOUND",
    // Numbers at the edges of their types: refused or not found, never a 500 or a wrap-around.
    "POST | /admin/products/{p}/subscriptions | `{\"userIdFrom\":9223372036854775807,\"userIdTo\":9223372036854775000}` | 400 | BAD_REQUEST",
    "POST | /admin/products/{p}/subscriptions | `{\"userIdFrom\":9223372036853775807,\"userIdTo\":9223372036854775807}` | 400 | BAD_REQUEST",
    "POST | /admin/products/{p}/subscriptions | `{\"userIdFrom\":1,\"userIdTo\":9223372036854775807}` | 400 | BAD_REQUEST",
    "POST | /admin/products/{p}/subscriptions | `{\"userIdFrom\":-9223372036854775808,\"userIdTo\":9223372036854775807}` | 400 | BAD_REQUEST",
    "POST | /admin/products/{p}/subscriptions | `{\"userIdFrom\":9223372036854775000,\"userIdTo\":9223372036854775808}` | 400 | BAD_REQUEST",
    "GET | /products/9223372036854775807 | `` | 404 | NOT_FOUND",
    "GET | /products/9223372036854775808 | `` | 400 | BAD_REQUEST",
    "PUT | /products/9223372036854775807/stock | `{\"stock\":1}` | 404 | NOT_FOUND",
    "POST | /products/9223372036854775807/purchases | `{\"quantity\":1}` | 404 | NOT_FOUND",
    "PUT | /products/9223372036854775807/subscriptions/1 | `` | 404 | NOT_FOUND",
    "DELETE | /products/9223372036854775807/subscriptions/1 | `` | 404 | NOT_FOUND",
    "POST | /admin/products/9223372036854775807/subscriptions | `{\"userIdFrom\":1,\"userIdTo\":2}` | 404 | NOT_FOUND",
    "POST | /products/9223372036854775807/notifications/re-stock | `` | 404 | NOT_FOUND",
    "POST | /admin/products/9223372036854775807/notifications/re-stock | `` | 404 | NOT_FOUND",
    "GET | /products/9223372036854775807/notifications | `` | 404 | NOT_FOUND",
    "GET | /products/9223372036854775807/notifications/1/users | `` | 404 | NOT_FOUND",
    "PUT | /products/{p}/subscriptions/0 | `` | 400 | BAD_REQUEST",
    "PUT | /products/{p}/subscriptions/-1 | `` | 400 | BAD_REQUEST",
    "PUT | /products/{p}/subscriptions/-9223372036854775808 | `` | 400 | BAD_REQUEST",
    "PUT | /products/{p}/subscriptions/9223372036854775808 | `` | 400 | BAD_REQUEST",
    "DELETE | /products/{p}/subscriptions/0 | `` | 400 | BAD_REQUEST",
    "PUT | /products/{p}/stock | `{\"stock\":2147483648}` | 400 | BAD_REQUEST",
    "POST | /products/{p}/purchases | `{\"quantity\":2147483648}` | 400 | BAD_REQUEST",
    "POST | /products/{p}/purchases | `{\"quantity\":2147483647}` | 409 | INSUFFICIENT_STOCK",
    "POST | /products/{p}/notifications/re-stock | `{\"quantity\":2147483647}` | 400 | BAD_REQUEST",
    "POST | /products/{p}/notifications/re-stock | `{\"quantity\":2147483648}` | 400 | BAD_REQUEST",
    "POST | /products/{p}/notifications/re-stock | `{\"quantity\":-1}` | 400 | BAD_REQUEST",
    "GET | /products/{p}/notifications/1/users?after=-1 | `` | 400 | BAD_REQUEST",
    "GET | /products/{p}/notifications/1/users?after=9223372036854775808 | `` | 400 | BAD_REQUEST",
    "GET | /products/{p}/notifications/1/users?after=9223372036854775807 | `` | 404 | NOT_FOUND",
    "GET | /products/{p}/notifications/1/users?limit=0 | `` | 400 | BAD_REQUEST",
    "GET | /products/{p}/notifications/1/users?limit=-1 | `` | 400 | BAD_REQUEST",
    "GET | /products/{p}/notifications/1/users?limit=1001 | `` | 400 | BAD_REQUEST",
    "GET | /products/{p}/notifications/1/users?limit=2147483647 | `` | 400 | BAD_REQUEST",
    "GET | /products/{p}/notifications/1/users?limit=2147483648 | `` | 400 | BAD_REQUEST",
    "GET | /products/{p}/notifications/1/users?limit=9223372036854775808 | `` | 400 | BAD_REQUEST",
    "GET | /products/{p}/notifications/0/users | `` | 400 | BAD_REQUEST",
    "GET | /products/{p}/notifications/-1/users | `` | 400 | BAD_REQUEST",
    "GET | /products/{p}/notifications/2147483648/users | `` | 400 | BAD_REQUEST",
    "GET | /products/{p}/notifications/2147483647/users | `` | 404 | NOT_FOUND",
    "GET | /no/such/route | `` | 404 | NOT_FOUND",
    "DELETE | /products/{p} | `` | 405 | METHOD_NOT_ALLOWED",
  })
  void refused_requests_get_a_clear_json_error(String method, String path, String body,
      int status, String code) throws Exception {
    Api.Response response = api.call(method, path.replace("{p}", Long.toString(productId)),
        body.isEmpty() ? null : body);

    assertEquals(status, response.status(), response.toString());
    assertEquals(code, response.json().get("error").asText(), response.toString());
    assertFalse(response.json().get("message").asText().isBlank());
    assertFalse(response.body().contains("Exception"), response.body());
    assertEquals(5, api.get("/products/" + productId).json().get("stock").asInt());
    assertEquals(0, subscriptionCount(), "a refused request wrote subscriptions");
  }

  @org.junit.jupiter.api.Test
  void an_oversized_body_is_refused_with_413() {
    String huge = "{\"name\":\"" + "x".repeat(1_000_000) + "\",\"stock\":1}";
    Api.Response response = api.post("/products", huge);

    assertEquals(413, response.status());
    assertEquals("BODY_TOO_LARGE", response.json().get("error").asText());
  }

  @org.junit.jupiter.api.Test
  void deeply_nested_json_is_refused_with_400() {
    String deep = "[".repeat(5_000) + "]".repeat(5_000);
    Api.Response response = api.post("/products", deep);

    assertEquals(400, response.status(), response.toString());
    assertTrue(response.json().has("error"));
  }

  private static int subscriptionCount() throws Exception {
    try (Connection c = TestServices.get().connect();
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT COUNT(*) FROM product_user_notification")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
