package io.restock.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a webhook, written from the Standard Webhooks specification
 * (standard-webhooks/standard-webhooks, spec/standard-webhooks.md: "Signature scheme" and
 * "Verifying signatures") and on purpose without the service's signer, so the two cannot share a
 * mistake: the signed content is {@code {webhook-id}.{webhook-timestamp}.{body}}, the key the
 * base64 after {@code whsec_}, and the header a space-separated list of {@code v1,<base64>}, any
 * one of which may match.
 */
public final class StandardWebhooksVerifier {
  private StandardWebhooksVerifier() {}

  /** True when one of the signatures in {@code signatureHeader} was made with {@code secret}. */
  public static boolean verifies(String secret, String webhookId, String webhookTimestamp,
      byte[] body, String signatureHeader) {
    byte[] expected = hmacSha256(Base64.getDecoder().decode(secret.substring("whsec_".length())),
        signedContent(webhookId, webhookTimestamp, body));
    for (String signature : signatureHeader.split(" ")) {
      String[] versionAndValue = signature.split(",", 2);
      if (versionAndValue.length == 2 && versionAndValue[0].equals("v1")
          && MessageDigest.isEqual(expected, decodeOrEmpty(versionAndValue[1]))) {
        return true;
      }
    }
    return false;
  }

  private static byte[] signedContent(String webhookId, String webhookTimestamp, byte[] body) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.writeBytes(webhookId.getBytes(StandardCharsets.UTF_8));
    content.write('.');
    content.writeBytes(webhookTimestamp.getBytes(StandardCharsets.UTF_8));
    content.write('.');
    content.writeBytes(body);
    return content.toByteArray();
  }

  private static byte[] hmacSha256(byte[] key, byte[] content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A signature that is not base64 matches nothing. */
  private static byte[] decodeOrEmpty(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }
}
