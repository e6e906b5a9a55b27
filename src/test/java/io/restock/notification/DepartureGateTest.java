package io.restock.notification;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The last check before a message's last byte: no lease it can be sure of, no message. */
class DepartureGateTest {
  @Test
  void a_message_whose_run_has_not_renewed_its_lease_lately_is_held_back_before_its_last_byte() {
    long lapsed = System.nanoTime() - 1;
    Notification late = new Notification(1, 2, 3, System.nanoTime(), lapsed);
    AtomicBoolean released = new AtomicBoolean();

    // No limiter and no sent log: the gate must refuse before it needs either.
    DepartureGate gate = new DepartureGate(null, null);

    assertThrows(NotSent.class, () -> gate.leaving(late, () -> released.set(true)));
    assertFalse(released.get(), "the last byte was written");
  }
}
