package io.restock.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.round.RoundOwner;
import io.restock.round.SendCursor;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class RoundProgressTest {
  private static Subscriber user(long id) {
    return new Subscriber(id, 100 + id, LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(id));
  }

  @Test
  void the_cursor_moves_only_over_an_unbroken_run_of_recorded_sends() {
    RoundProgress progress = new RoundProgress(new RoundOwner(1, 1, "run", 1), SendCursor.START);
    for (long seq = 1; seq <= 3; seq++) {
      progress.dispatched(seq, user(seq));
    }
    progress.recorded(2);
    assertNull(progress.cursor().lastUserId(), "send 1 is still open");
    assertEquals(1, progress.cursor().notifiedCount());

    progress.recorded(1);
    assertEquals(102L, progress.cursor().lastUserId());
    assertEquals(2, progress.cursor().notifiedCount());

    progress.recorded(3);
    assertEquals(103L, progress.cursor().lastUserId());
    assertEquals(3, progress.cursor().notifiedCount());
  }

  @Test
  void a_send_given_up_holds_the_cursor_but_later_ones_still_count() throws Exception {
    RoundProgress progress = new RoundProgress(new RoundOwner(1, 1, "run", 1), SendCursor.START);
    progress.dispatched(1, user(1));
    progress.dispatched(2, user(2));
    progress.dispatched(3, user(3));
    progress.recorded(1);
    progress.gaveUp(2);
    assertFalse(progress.awaitSettled(0));
    progress.recorded(3);

    assertTrue(progress.awaitSettled(0));
    assertEquals(101L, progress.cursor().lastUserId());
    assertEquals(2, progress.cursor().notifiedCount());
  }

  @Test
  void the_backlog_wait_holds_while_too_many_sends_are_unrecorded() throws Exception {
    RoundProgress progress = new RoundProgress(new RoundOwner(1, 1, "run", 1), SendCursor.START);
    progress.dispatched(1, user(1));
    progress.dispatched(2, user(2));
    assertFalse(progress.awaitBacklogBelow(2, 0));
    assertTrue(progress.awaitBacklogBelow(3, 0));
    progress.recorded(1);
    assertTrue(progress.awaitBacklogBelow(2, 0));
  }

  @Test
  void recording_the_same_send_twice_counts_it_once() {
    RoundProgress progress = new RoundProgress(new RoundOwner(1, 1, "run", 1), new SendCursor(null, null, 10));
    progress.dispatched(11, user(11));
    progress.recorded(11);
    progress.recorded(11);
    assertEquals(11, progress.cursor().notifiedCount());
  }
}
