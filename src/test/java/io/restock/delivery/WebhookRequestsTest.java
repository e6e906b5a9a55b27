package io.restock.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.restock.support.StandardWebhooksVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** One attempt's body and headers: JSON any product name survives, signed over the exact bytes. */
class WebhookRequestsTest {
  /** Quotes, backslashes, non-ASCII letters, an emoji (two UTF-16 chars), control characters. */
  static final String AWKWARD_NAME = "Ünïcode \"quoted\" \\ back\\slash 🎉 \u0001 tab\there\nnewline";
  static final Instant NOW = Instant.parse("2026-12-01T10:15:30.750Z");
  static final String SECRET = WebhookSignerTest.VECTOR_SECRET;

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Notification notification = new Notification(12, AWKWARD_NAME, 345, 6, 0, "run");

  @Test
  void the_body_is_json_that_gives_back_every_field_and_the_name_exactly() throws Exception {
    byte[] body = requests(Optional.empty()).attempt(notification).body();

    JsonNode json = new ObjectMapper().readTree(body);
    assertEquals(List.of("productId", "productName", "userId", "restockRound", "message"),
        ImmutableList.copyOf(json.fieldNames()));
    assertEquals(12, json.get("productId").asLong());
    assertEquals(AWKWARD_NAME, json.get("productName").asText());
    assertEquals(345, json.get("userId").asLong());
    assertEquals(6, json.get("restockRound").asInt());
    assertEquals(AWKWARD_NAME + " is back in stock", json.get("message").asText());

    String raw = new String(body, StandardCharsets.UTF_8);
    assertTrue(raw.contains("\\\"quoted\\\" \\\\ back\\\\slash"), raw);
    assertTrue(raw.contains("\\u0001") && raw.contains("tab\\there") && raw.contains("\\nnewline"), raw);
    assertTrue(raw.contains("Ünïcode") && raw.contains("🎉"), "non-ASCII is sent as UTF-8: " + raw);
    assertFalse(raw.chars().anyMatch(c -> c < 0x20), "a raw control character in the JSON: " + raw);
  }

  @Test
  void an_attempt_carries_the_message_id_its_own_time_and_a_signature_over_the_body_sent() {
    WebhookRequests.Attempt attempt = requests(Optional.of(WebhookSigner.parse(SECRET))).attempt(notification);

    String id = attempt.headers().get("webhook-id");
    assertEquals("restock-12-6-345", id);
    assertEquals(id, attempt.headers().get("Idempotency-Key"));
    assertEquals(Long.toString(NOW.getEpochSecond()), attempt.headers().get("webhook-timestamp"));
    String signature = attempt.headers().get("webhook-signature");
    assertTrue(StandardWebhooksVerifier.verifies(SECRET, id, attempt.headers().get("webhook-timestamp"),
        attempt.body(), signature), signature);
    assertEquals(1, registry.get("restock.webhook.signing").timer().count());
  }

  @Test
  void a_later_attempt_keeps_body_and_id_and_is_signed_for_its_own_time() {
    AtomicReference<Instant> now = new AtomicReference<>(NOW);
    WebhookRequests requests = new WebhookRequests(MessageTemplate.parse(MessageTemplate.DEFAULT),
        Optional.of(WebhookSigner.parse(SECRET)), new Clock() {
          @Override
          public Instant instant() {
            return now.get();
          }

          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
          }
        }, registry);
    WebhookRequests.Attempt first = requests.attempt(notification);
    now.set(NOW.plusSeconds(5));
    WebhookRequests.Attempt second = requests.attempt(notification);

    assertArrayEquals(first.body(), second.body());
    assertEquals(first.headers().get("webhook-id"), second.headers().get("webhook-id"));
    assertEquals(Long.toString(NOW.getEpochSecond() + 5), second.headers().get("webhook-timestamp"));
    String id = second.headers().get("webhook-id");
    assertTrue(StandardWebhooksVerifier.verifies(SECRET, id, second.headers().get("webhook-timestamp"),
        second.body(), second.headers().get("webhook-signature")));
    assertFalse(StandardWebhooksVerifier.verifies(SECRET, id, first.headers().get("webhook-timestamp"),
        second.body(), second.headers().get("webhook-signature")),
        "a signature must not verify with another attempt's timestamp");
  }

  @Test
  void without_a_secret_the_request_goes_unsigned_with_its_id_and_time() {
    WebhookRequests.Attempt attempt = requests(Optional.empty()).attempt(notification);
    assertEquals(List.of("Idempotency-Key", "webhook-id", "webhook-timestamp"),
        List.copyOf(attempt.headers().keySet()));
    assertEquals(0, registry.get("restock.webhook.signing").timer().count());
  }

  private WebhookRequests requests(Optional<WebhookSigner> signer) {
    return new WebhookRequests(MessageTemplate.parse(MessageTemplate.DEFAULT), signer,
        Clock.fixed(NOW, ZoneOffset.UTC), registry);
  }
}
