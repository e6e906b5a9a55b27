package io.restock.infra;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A token callers present as {@code Authorization: Bearer <token>}. It is compared in constant
 * time, so the time a refusal takes tells nothing about how much of a guess was right, and it
 * never prints: Config's toString and any log line that names one show {@code ***}.
 */
public final class BearerToken {
  /** What an HTTP header carries as one token: visible ASCII, no spaces; long enough to guess at. */
  private static final String FORMAT = "[\\x21-\\x7e]{16,}";

  private final byte[] value;

  private BearerToken(String value) {
    this.value = value.getBytes(StandardCharsets.US_ASCII);
  }

  /** The token set in the environment variable {@code name}; its value is never echoed. */
  public static BearerToken of(String name, String value) {
    if (!value.matches(FORMAT)) {
      throw new IllegalArgumentException(name + " must be at least 16 visible ASCII characters"
          + " without spaces (for example: openssl rand -hex 32)");
    }
    return new BearerToken(value);
  }

  public boolean matches(String presented) {
    return MessageDigest.isEqual(value, presented.getBytes(StandardCharsets.UTF_8));
  }

  boolean sameAs(BearerToken other) {
    return MessageDigest.isEqual(value, other.value);
  }

  @Override
  public String toString() {
    return "***";
  }
}
