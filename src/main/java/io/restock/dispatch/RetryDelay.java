package io.restock.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next attempt of a message: exponential back-off with jitter, or
 * the provider's Retry-After when it asks for longer, never more than a minute.
 */
final class RetryDelay {
  static final Duration FIRST = Duration.ofMillis(200);
  static final Duration MAX = Duration.ofSeconds(60);

  private final Clock clock;
  private final DoubleSupplier random;

  RetryDelay(Clock clock, DoubleSupplier random) {
    this.clock = clock;
    this.random = random;
  }

  /**
   * After attempt {@code attempt} (from 1) failed: half the back-off fixed, half random, so
   * messages that failed together do not come back together.
   */
  Duration after(int attempt, String retryAfter) {
    long backOff = FIRST.toNanos() << Math.min(attempt - 1, 20);
    long jittered = backOff / 2 + (long) (random.getAsDouble() * (backOff / 2));
    long asked = asked(retryAfter).toNanos();
    return Duration.ofNanos(Math.min(Math.max(jittered, asked), MAX.toNanos()));
  }

  /** Retry-After as delta-seconds or an HTTP date; zero when absent or unreadable. */
  private Duration asked(String retryAfter) {
    if (retryAfter == null || retryAfter.isBlank()) {
      return Duration.ZERO;
    }
    String value = retryAfter.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Math.min(Long.parseLong(value), MAX.toSeconds())));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration until = Duration.between(clock.instant(),
            ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return until.isNegative() ? Duration.ZERO : until.compareTo(MAX) > 0 ? MAX : until;
      } catch (DateTimeParseException notADate) {
        return Duration.ZERO;
      }
    }
  }
}
