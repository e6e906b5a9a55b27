package io.restock.delivery;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** What one attempt at a message sends: its JSON body and its headers. */
public final class WebhookRequests {
  /** A request ready to go. */
  public record Attempt(byte[] body, Map<String, String> headers) {}

  /** An emoji goes out as its four UTF-8 bytes, not as two escaped halves of a surrogate pair. */
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

  private final MessageTemplate template;

  public WebhookRequests(MessageTemplate template) {
    this.template = template;
  }

  public Attempt attempt(Notification n) {
    return new Attempt(body(n), Map.of("Idempotency-Key", n.idempotencyKey()));
  }

  /**
   * {"productId","productName","userId","restockRound","message"}, written by Jackson: quotes,
   * backslashes and control characters in a product name are escaped, the rest is UTF-8.
   */
  byte[] body(Notification n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(160);
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeNumberField("productId", n.productId());
      json.writeStringField("productName", n.productName());
      json.writeNumberField("userId", n.userId());
      json.writeNumberField("restockRound", n.restockRound());
      json.writeStringField("message", template.render(n));
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to an array: only a generator bug gets here
    }
    return out.toByteArray();
  }
}
