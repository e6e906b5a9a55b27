package io.restock.dispatch;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** How many messages of a run may be under way at once; a slot is held from dispatch to answer. */
final class InFlightWindow {
  private final int size;
  private final Semaphore free;

  InFlightWindow(int size) {
    this.size = size;
    this.free = new Semaphore(size);
  }

  boolean tryTake(long timeoutMillis) throws InterruptedException {
    return free.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** From the sending thread once its message is answered, or by the run if it did not send. */
  void give() {
    free.release();
  }

  /** Nothing under way; asked by a run that holds no slot itself. */
  boolean idle() {
    return free.availablePermits() == size;
  }

  /** Waits until nothing is under way; false on timeout. */
  boolean awaitIdle(long timeoutMillis) throws InterruptedException {
    if (!free.tryAcquire(size, timeoutMillis, TimeUnit.MILLISECONDS)) {
      return false;
    }
    free.release(size);
    return true;
  }
}
