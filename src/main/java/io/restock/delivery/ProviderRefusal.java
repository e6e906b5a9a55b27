package io.restock.delivery;

/**
 * The provider answered, and not with a 2xx (SPEC rule 11): what the status says to do next.
 * Codes the rule does not name (a 3xx, since redirects are not followed; a 409; ...) are treated
 * as worth retrying: the attempts run out and the round stops, which loses no one.
 */
public final class ProviderRefusal extends RuntimeException {
  /** What a status means for the round. */
  public enum Meaning {
    /** This recipient is refused for good: recorded as rejected, and the round goes on. */
    RECIPIENT_REJECTED,
    /** The provider refuses us: the round ends at once. */
    WE_ARE_REFUSED,
    /** Try again later (back-off, Retry-After). */
    TRY_AGAIN
  }

  private final int status;
  private final String retryAfter;

  public ProviderRefusal(int status, String retryAfter) {
    super("the provider answered " + status);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  public int status() {
    return status;
  }

  /** The Retry-After header as sent, or null. */
  public String retryAfter() {
    return retryAfter;
  }

  public Meaning meaning() {
    return meaningOf(status);
  }

  static Meaning meaningOf(int status) {
    return switch (status) {
      case 400, 404, 410, 422 -> Meaning.RECIPIENT_REJECTED;
      case 401, 403 -> Meaning.WE_ARE_REFUSED;
      default -> Meaning.TRY_AGAIN;
    };
  }

  /** 410 Gone: the recipient is gone, so the subscription ends too. */
  public boolean endsSubscription() {
    return status == 410;
  }
}
