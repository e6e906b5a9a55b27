package io.restock.dispatch;

import io.restock.round.SendPosition;
import java.time.LocalDateTime;

/** One active subscription as the send loop reads it. */
public record Subscriber(long id, long userId, LocalDateTime createdAt) {
  public SendPosition position() {
    return new SendPosition(createdAt, id);
  }
}
