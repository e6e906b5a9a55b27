package io.restock.delivery;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one attempt at a message sends: its JSON body and its headers, signed as Standard Webhooks
 * says when a secret is set. The id is the message's (the same on every attempt); the timestamp
 * and signature are the attempt's.
 */
public final class WebhookRequests {
  /** A request ready to go: the signature already covers every byte of the body. */
  public record Attempt(byte[] body, Map<String, String> headers) {}

  /** An emoji goes out as its four UTF-8 bytes, not as two escaped halves of a surrogate pair. */
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

  private final MessageTemplate template;
  private final Optional<WebhookSigner> signer;
  private final Clock clock;
  private final Timer signing;

  public WebhookRequests(MessageTemplate template, Optional<WebhookSigner> signer, Clock clock,
      MeterRegistry registry) {
    this.template = template;
    this.signer = signer;
    this.clock = clock;
    this.signing = Timer.builder("restock.webhook.signing")
        .description("Time to sign one webhook request: an HMAC-SHA256 for each secret")
        .register(registry);
  }

  /** How many secrets sign each request: 0 when none is set. */
  public int signingSecrets() {
    return signer.map(WebhookSigner::secrets).orElse(0);
  }

  public Attempt attempt(Notification n) {
    byte[] body = body(n);
    String id = n.idempotencyKey();
    long timestamp = clock.instant().getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Idempotency-Key", id);
    headers.put("webhook-id", id);
    headers.put("webhook-timestamp", Long.toString(timestamp));
    signer.ifPresent(s ->
        headers.put("webhook-signature", signing.record(() -> s.sign(id, timestamp, body))));
    return new Attempt(body, headers);
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
