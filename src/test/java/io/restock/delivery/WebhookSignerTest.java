package io.restock.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.support.StandardWebhooksVerifier;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Standard Webhooks signatures, against the scheme's own test vector and a receiver of our own. */
class WebhookSignerTest {
  /**
   * The test vector of the Standard Webhooks libraries (standard-webhooks/standard-webhooks,
   * libraries/java/src/test/java/com/standardwebhooks/WebhookTest.java, verifyWebhookSignWorks;
   * the other languages' tests use the same one).
   */
  static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final long VECTOR_TIMESTAMP = 1614265330;
  static final byte[] VECTOR_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  static final String OTHER_SECRET = secretOf(24, 7);

  @Test
  void the_spec_test_vector_gives_the_spec_signature() {
    assertEquals(VECTOR_SIGNATURE,
        WebhookSigner.parse(VECTOR_SECRET).sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY));
  }

  @Test
  void the_receiver_written_from_the_spec_accepts_the_vector_and_nothing_else() {
    String timestamp = Long.toString(VECTOR_TIMESTAMP);
    assertTrue(StandardWebhooksVerifier.verifies(VECTOR_SECRET, VECTOR_ID, timestamp, VECTOR_BODY,
        VECTOR_SIGNATURE));
    assertFalse(StandardWebhooksVerifier.verifies(OTHER_SECRET, VECTOR_ID, timestamp, VECTOR_BODY,
        VECTOR_SIGNATURE));
    assertFalse(StandardWebhooksVerifier.verifies(VECTOR_SECRET, VECTOR_ID, timestamp,
        "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8), VECTOR_SIGNATURE));
  }

  @Test
  void during_a_rotation_each_secret_gives_its_own_signature_and_each_verifies_with_its_own_key() {
    String both = WebhookSigner.parse(VECTOR_SECRET + " " + OTHER_SECRET)
        .sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY);
    String[] signatures = both.split(" ");
    assertEquals(2, signatures.length, both);
    assertEquals(VECTOR_SIGNATURE, signatures[0]);
    String timestamp = Long.toString(VECTOR_TIMESTAMP);
    assertTrue(StandardWebhooksVerifier.verifies(OTHER_SECRET, VECTOR_ID, timestamp, VECTOR_BODY,
        signatures[1]));
    assertFalse(StandardWebhooksVerifier.verifies(VECTOR_SECRET, VECTOR_ID, timestamp, VECTOR_BODY,
        signatures[1]), "the second signature is not the first key's");
    // A receiver that knows only one of the keys verifies the header as sent.
    assertTrue(StandardWebhooksVerifier.verifies(OTHER_SECRET, VECTOR_ID, timestamp, VECTOR_BODY, both));
    assertTrue(StandardWebhooksVerifier.verifies(VECTOR_SECRET, VECTOR_ID, timestamp, VECTOR_BODY, both));
  }

  @Test
  void secrets_may_be_separated_by_any_run_of_spaces() {
    assertEquals(2, WebhookSigner.parse("  " + VECTOR_SECRET + "   " + OTHER_SECRET + " ").secrets());
  }

  @Test
  void a_malformed_secret_is_refused_with_a_reason_and_without_its_value() {
    String shortKey = secretOf(16, 1);
    assertRefused("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "must start with whsec_");
    assertRefused("whsec_not*base64!", "not valid base64");
    assertRefused("whsec_", "0 bytes");
    assertRefused(shortKey, "16 bytes");
    IllegalArgumentException second = assertRefused(VECTOR_SECRET + " " + shortKey, "16 bytes");
    assertTrue(second.getMessage().contains("secret 2 of 2"), second.getMessage());
  }

  @Test
  void the_signer_never_shows_its_keys() {
    assertEquals("WebhookSigner[1 secret(s)]", WebhookSigner.parse(VECTOR_SECRET).toString());
  }

  private static IllegalArgumentException assertRefused(String secrets, String reason) {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> WebhookSigner.parse(secrets));
    String message = refused.getMessage();
    assertTrue(message.startsWith("NOTIFIER_WEBHOOK_SECRET") && message.contains(reason), message);
    for (String secret : secrets.strip().split("\\s+")) {
      if (secret.length() > "whsec_".length()) {
        assertFalse(message.contains(secret.substring("whsec_".length())), "the secret leaked: " + message);
      }
    }
    return refused;
  }

  /** A well-formed secret of {@code bytes} bytes, each {@code fill}: for tests only. */
  static String secretOf(int bytes, int fill) {
    byte[] key = new byte[bytes];
    java.util.Arrays.fill(key, (byte) fill);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }
}
