package io.restock.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook request as Standard Webhooks says: "v1," + base64 of HMAC-SHA256, keyed with a
 * secret's bytes, over "{webhook-id}.{webhook-timestamp}.{body}". Several secrets (a rotation:
 * the new one and the old one, for a while) give several signatures, space-separated, so a
 * receiver holding either key can verify.
 */
public final class WebhookSigner {
  private static final String SECRET_PREFIX = "whsec_";
  /** The scheme asks for at least 24 random bytes; a shorter key is a guessable one. */
  private static final int MIN_KEY_BYTES = 24;
  private static final String HMAC_SHA256 = "HmacSHA256";
  private static final String SETTING = "NOTIFIER_WEBHOOK_SECRET";

  private final List<SecretKeySpec> keys;

  private WebhookSigner(List<SecretKeySpec> keys) {
    this.keys = keys;
  }

  /**
   * The signer for NOTIFIER_WEBHOOK_SECRET: one or more {@code whsec_<base64>} secrets, separated
   * by spaces. A malformed one is refused with a message that says which and why, and never
   * repeats the value: it is a secret.
   */
  public static WebhookSigner parse(String secrets) {
    String[] each = secrets.strip().split("\\s+");
    List<SecretKeySpec> keys = new ArrayList<>();
    for (int i = 0; i < each.length; i++) {
      String which = each.length == 1 ? SETTING : SETTING + " (secret " + (i + 1) + " of " + each.length + ")";
      keys.add(key(each[i], which));
    }
    return new WebhookSigner(List.copyOf(keys));
  }

  private static SecretKeySpec key(String secret, String which) {
    if (!secret.startsWith(SECRET_PREFIX)) {
      throw new IllegalArgumentException(which + " must start with " + SECRET_PREFIX
          + ", followed by the key in base64");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(which + " is not valid base64 after " + SECRET_PREFIX);
    }
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(which + " is " + key.length + " bytes once decoded; "
          + "Standard Webhooks asks for at least " + MIN_KEY_BYTES + " random bytes");
    }
    return new SecretKeySpec(key, HMAC_SHA256);
  }

  /** The webhook-signature header: one "v1,..." for each secret, in the order they were given. */
  public String sign(String messageId, long timestamp, byte[] body) {
    byte[] prefix = (messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    StringJoiner signatures = new StringJoiner(" ");
    for (SecretKeySpec key : keys) {
      Mac mac = hmac(key);
      mac.update(prefix);
      signatures.add("v1," + Base64.getEncoder().encodeToString(mac.doFinal(body)));
    }
    return signatures.toString();
  }

  /** How many secrets sign each request. */
  public int secrets() {
    return keys.size();
  }

  private static Mac hmac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance(HMAC_SHA256);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      // Every Java runtime has HmacSHA256, and any key of any length fits it.
      throw new IllegalStateException(e);
    }
  }

  /** Never the keys: a signer may end up in a log line through the configuration. */
  @Override
  public String toString() {
    return "WebhookSigner[" + keys.size() + " secret(s)]";
  }
}
