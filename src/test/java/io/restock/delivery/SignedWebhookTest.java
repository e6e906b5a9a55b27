package io.restock.delivery;

import static io.restock.support.StandardWebhooksVerifier.verifies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restock.support.Api;
import io.restock.support.ServiceExtension;
import io.restock.support.WebhookReceiver;
import io.restock.support.WebhookReceiver.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A round through the real service to a receiver on loopback, signed with two secrets (a
 * rotation): every attempt verifies with each key by a receiver written from the spec, and
 * nothing else does.
 */
class SignedWebhookTest {
  static final String NEW_SECRET = WebhookSignerTest.secretOf(32, 1);
  static final String OLD_SECRET = WebhookSignerTest.secretOf(24, 2);
  static final String TEMPLATE = "Hi {userId}: {productName} (product {productId}) is back, round {restockRound}";
  static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final ServiceExtension service = ServiceExtension.withWebhook(Map.of(
      "NOTIFIER_WEBHOOK_SECRET", NEW_SECRET + " " + OLD_SECRET,
      "NOTIFIER_MESSAGE_TEMPLATE", TEMPLATE));
  final Api api = service.api();
  final WebhookReceiver receiver = service.receiver();

  @Test
  void every_attempt_is_signed_with_each_secret_and_a_changed_request_does_not_verify()
      throws IOException {
    long productId = createProduct(WebhookRequestsTest.AWKWARD_NAME);
    api.subscribeRange(productId, 1, 3);
    receiver.answerOnce(2, 500);
    long before = Instant.now().getEpochSecond();
    assertEquals(202, api.post("/products/" + productId + "/notifications/re-stock", null).status());
    JsonNode round = api.awaitRoundEnd(productId, Duration.ofSeconds(30));
    long after = Instant.now().getEpochSecond();
    assertEquals("COMPLETED", round.get("status").asText(), round.toString());
    assertEquals(3, round.get("notifiedCount").asInt());

    List<Request> requests = receiver.requests();
    assertEquals(List.of(1L, 2L, 2L, 3L), requests.stream().map(Request::userId).sorted().toList());
    for (Request request : requests) {
      String id = request.header("webhook-id");
      assertEquals("restock-" + productId + "-1-" + request.userId(), id);
      assertEquals(id, request.header("Idempotency-Key"));
      String timestamp = request.header("webhook-timestamp");
      long seconds = Long.parseLong(timestamp);
      assertTrue(seconds >= before && seconds <= after, timestamp + " is not the attempt's time");

      String[] signatures = request.header("webhook-signature").split(" ");
      assertEquals(2, signatures.length, request.header("webhook-signature"));
      assertTrue(verifies(NEW_SECRET, id, timestamp, request.body(), signatures[0]));
      assertTrue(verifies(OLD_SECRET, id, timestamp, request.body(), signatures[1]));
      assertFalse(verifies(OLD_SECRET, id, timestamp, request.body(), signatures[0]));
      assertForgeriesFail(request, id, timestamp);
      assertBody(request, productId);
    }

    List<Request> user2 = requests.stream().filter(r -> r.userId() == 2).toList();
    assertEquals(List.of(500, 204), user2.stream().map(Request::status).toList());
    assertEquals(user2.get(0).header("webhook-id"), user2.get(1).header("webhook-id"),
        "a retry is the same message: the same webhook-id");
    assertTrue(Long.parseLong(user2.get(1).header("webhook-timestamp"))
        >= Long.parseLong(user2.get(0).header("webhook-timestamp")));
  }

  /** A changed body, another message's id, another time, an unknown key: none verifies. */
  private static void assertForgeriesFail(Request request, String id, String timestamp) {
    String header = request.header("webhook-signature");
    String body = new String(request.body(), StandardCharsets.UTF_8);
    byte[] otherUser = body.replace("\"userId\":" + request.userId(), "\"userId\":99")
        .getBytes(StandardCharsets.UTF_8);
    byte[] lastByteChanged = request.body().clone();
    lastByteChanged[lastByteChanged.length - 1] ^= 1;
    for (String secret : List.of(NEW_SECRET, OLD_SECRET)) {
      assertFalse(verifies(secret, id, timestamp, otherUser, header), "tampered body verified");
      assertFalse(verifies(secret, id, timestamp, lastByteChanged, header), "tampered body verified");
      assertFalse(verifies(secret, id + "0", timestamp, request.body(), header), "other id verified");
      assertFalse(verifies(secret, id, Long.toString(Long.parseLong(timestamp) - 1), request.body(),
          header), "a replay with another time verified");
    }
    assertFalse(verifies(WebhookSignerTest.secretOf(32, 3), id, timestamp, request.body(), header),
        "an unknown secret verified");
  }

  private static void assertBody(Request request, long productId) throws IOException {
    JsonNode body = JSON.readTree(request.body());
    String name = WebhookRequestsTest.AWKWARD_NAME;
    assertEquals(productId, body.get("productId").asLong());
    assertEquals(name, body.get("productName").asText());
    assertEquals(request.userId(), body.get("userId").asLong());
    assertEquals(1, body.get("restockRound").asInt());
    assertEquals("Hi " + request.userId() + ": " + name + " (product " + productId
        + ") is back, round 1", body.get("message").asText());
  }

  /** Through the API, the name as JSON: it holds quotes and backslashes. */
  private long createProduct(String name) throws IOException {
    Api.Response created = api.post("/products",
        JSON.writeValueAsString(Map.of("name", name, "stock", 10)));
    assertEquals(201, created.status(), created.toString());
    assertEquals(name, created.json().get("name").asText(), "the name did not survive MySQL");
    return created.json().get("id").asLong();
  }
}
