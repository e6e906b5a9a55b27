package io.restock.notification;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How far a round got: the last user told, with every earlier user in send order told too, and
 * how many were told in all. Lives in a Redis hash while the round runs; copied to MySQL when the
 * round ends or fails.
 */
public record SendCursor(Long lastUserId, SendPosition lastPosition, int notifiedCount) {
  public static final SendCursor START = new SendCursor(null, null, 0);

  public Map<String, String> toHash() {
    Map<String, String> hash = new HashMap<>();
    hash.put("count", Integer.toString(notifiedCount));
    if (lastPosition != null) {
      hash.put("lastUserId", Long.toString(lastUserId));
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
    if (!hash.containsKey("lastUserId")) {
      return Optional.of(new SendCursor(null, null, count));
    }
    return Optional.of(new SendCursor(
        Long.parseLong(hash.get("lastUserId")),
        SendPosition.ofMicros(Long.parseLong(hash.get("lastCreatedAtMicros")),
            Long.parseLong(hash.get("lastSubscriptionId"))),
        count));
  }
}
