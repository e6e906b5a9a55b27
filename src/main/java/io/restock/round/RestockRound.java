package io.restock.round;

import java.time.LocalDateTime;

/** A product's restock round as MySQL records it. */
public record RestockRound(
    long productId,
    int restockRound,
    RoundStatus status,
    LocalDateTime startAfterCreatedAt,
    Long startAfterSubscriptionId,
    Long lastNotifiedUserId,
    LocalDateTime lastNotifiedCreatedAt,
    Long lastNotifiedSubscriptionId,
    int notifiedCount,
    int unconfirmedCount,
    int rejectedCount,
    int totalSubscribers,
    LocalDateTime startedAt,
    LocalDateTime finishedAt,
    LocalDateTime resumedAt,
    int notifiedAtResume,
    int wavesSent,
    Integer waveEndsAtCount,
    LocalDateTime nextWaveAt,
    int conversions,
    long unitsSold) {

  /** Live, between waves: no job and no owner until the wave timer queues it at nextWaveAt. */
  public boolean waitingForWave() {
    return status == RoundStatus.IN_PROGRESS && nextWaveAt != null;
  }

  /** When its current stretch of sending began: its start, or the resend that reopened it. */
  public LocalDateTime sendingSince() {
    return resumedAt == null ? startedAt : resumedAt;
  }

  /** Where the send order of this round begins (exclusive); null: at the first subscriber. */
  public SendPosition startAfter() {
    return startAfterCreatedAt == null
        ? null : new SendPosition(startAfterCreatedAt, startAfterSubscriptionId);
  }

  public SendCursor cursor() {
    SendPosition last = lastNotifiedCreatedAt == null
        ? null : new SendPosition(lastNotifiedCreatedAt, lastNotifiedSubscriptionId);
    return new SendCursor(lastNotifiedUserId, last, notifiedCount);
  }

  /**
   * Where the next round should begin: just after the last user this round reached if it was cut
   * off, so those it never reached are told first; at the start if it completed.
   */
  public SendPosition nextRoundStartAfter() {
    if (status == RoundStatus.COMPLETED) {
      return null;
    }
    return lastNotifiedCreatedAt != null ? cursor().lastPosition() : startAfter();
  }
}
