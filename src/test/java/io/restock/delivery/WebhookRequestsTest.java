package io.restock.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One attempt's body: JSON that any product name survives. */
class WebhookRequestsTest {
  /** Quotes, backslashes, non-ASCII letters, an emoji (two UTF-16 chars), control characters. */
  static final String AWKWARD_NAME = "Ünïcode \"quoted\" \\ back\\slash 🎉 \u0001 tab\there\nnewline";
  final Notification notification = new Notification(12, AWKWARD_NAME, 345, 6, 0, "run");

  @Test
  void the_body_is_json_that_gives_back_every_field_and_the_name_exactly() throws Exception {
    byte[] body = requests().attempt(notification).body();

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

  private WebhookRequests requests() {
    return new WebhookRequests(MessageTemplate.parse(MessageTemplate.DEFAULT));
  }
}
