package io.restock.round;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;

/** A place in subscription order: (created_at, subscription id), the key of the send index. */
public record SendPosition(LocalDateTime createdAt, long subscriptionId)
    implements Comparable<SendPosition> {
  private static final Comparator<SendPosition> ORDER = Comparator
      .comparing(SendPosition::createdAt)
      .thenComparingLong(SendPosition::subscriptionId);

  @Override
  public int compareTo(SendPosition other) {
    return ORDER.compare(this, other);
  }

  /** Microseconds since the epoch, the precision of the DATETIME(6) column. */
  public long createdAtMicros() {
    return createdAt.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + createdAt.getNano() / 1_000;
  }

  public static SendPosition ofMicros(long micros, long subscriptionId) {
    LocalDateTime at = LocalDateTime.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000), (int) Math.floorMod(micros, 1_000_000) * 1_000, ZoneOffset.UTC);
    return new SendPosition(at, subscriptionId);
  }
}
