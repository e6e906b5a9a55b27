package io.restock.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition by polling it until a deadline: the tests' only way to wait. */
public final class Poll {
  private Poll() {}

  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted waiting for " + what);
      }
    }
  }

  /** Polls {@code value} until {@code done} accepts it; returns that value. */
  public static <T> T until(Duration timeout, String what, Supplier<T> value,
      java.util.function.Predicate<T> done) {
    Object[] last = new Object[1];
    until(timeout, what, () -> {
      T current = value.get();
      last[0] = current;
      return done.test(current);
    });
    @SuppressWarnings("unchecked")
    T result = (T) last[0];
    return result;
  }
}
