package io.restock.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Back-off, jitter and Retry-After, as pure arithmetic. */
class RetryDelayTest {
  private static final Clock NOON = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void back_off_doubles_per_attempt_with_half_of_it_random() {
    RetryDelay least = new RetryDelay(NOON, () -> 0.0);
    RetryDelay most = new RetryDelay(NOON, () -> 0.999_999);
    assertEquals(Duration.ofMillis(100), least.after(1, null));
    assertEquals(Duration.ofMillis(200), least.after(2, null));
    assertEquals(Duration.ofMillis(400), least.after(3, null));
    assertEquals(400, most.after(2, null).toMillis(), 1);
  }

  @Test
  void retry_after_in_seconds_or_as_a_date_is_honoured_up_to_a_minute() {
    RetryDelay delay = new RetryDelay(NOON, () -> 0.0);
    assertEquals(Duration.ofSeconds(3), delay.after(1, "3"));
    assertEquals(Duration.ofSeconds(30), delay.after(1, "Tue, 01 Dec 2026 12:00:30 GMT"));
    assertEquals(Duration.ofSeconds(60), delay.after(1, "3600"));
    assertEquals(Duration.ofSeconds(60), delay.after(1, "Wed, 02 Dec 2026 12:00:00 GMT"));
    // Centuries away: more nanoseconds than a long holds, still a minute.
    assertEquals(Duration.ofSeconds(60), delay.after(1, "Sat, 01 Jan 2400 00:00:00 GMT"));
    assertEquals(Duration.ofMillis(100), delay.after(1, "Tue, 01 Dec 2026 11:00:00 GMT"), "a past date");
    assertEquals(Duration.ofMillis(100), delay.after(1, "soon"), "unreadable");
    assertEquals(Duration.ofMillis(100), delay.after(1, "-5"));
  }
}
