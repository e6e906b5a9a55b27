package io.restock.round;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How far a round got: the position in send order up to which every user was told or refused by
 * the provider for good, the last user told, and how many were told in all. Lives in a Redis hash while the round runs; copied to MySQL when the
 * round ends or fails.
 */
public record SendCursor(Long lastUserId, SendPosition lastPosition, int notifiedCount) {
  public static final SendCursor START = new SendCursor(null, null, 0);

  public Map<String, String> toHash() {
    Map<String, String> hash = new HashMap<>();
    hash.put("count", Integer.toString(notifiedCount));
    if (lastUserId != null) {
      hash.put("lastUserId", Long.toString(lastUserId));
    }
    if (lastPosition != null) {
      hash.put("lastCreatedAtMicros", Long.toString(lastPosition.createdAtMicros()));
      hash.put("lastSubscriptionId", Long.toString(lastPosition.subscriptionId()));
    }
    return hash;
  }

  public static Optional<SendCursor> fromHash(Map<String, String> hash) {
    if (hash == null || !hash.containsKey("count")) {
      return Optional.empty();
    }
    int count = Integer.parseInt(hash.get("count"));
    Long lastUserId = hash.containsKey("lastUserId") ? Long.valueOf(hash.get("lastUserId")) : null;
    if (!hash.containsKey("lastSubscriptionId")) {
      return Optional.of(new SendCursor(lastUserId, null, count));
    }
    return Optional.of(new SendCursor(
        lastUserId,
        SendPosition.ofMicros(Long.parseLong(hash.get("lastCreatedAtMicros")),
            Long.parseLong(hash.get("lastSubscriptionId"))),
        count));
  }
}
