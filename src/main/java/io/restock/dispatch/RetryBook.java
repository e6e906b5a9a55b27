package io.restock.dispatch;

import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The messages of a run that must be tried again, by when. Answers arrive on sending threads and
 * are reported here at once; the run's own thread takes them in due order. A retry taken is either
 * dispatched or put back: none is dropped, or the run would wait for its answer for ever.
 */
final class RetryBook {
  record Retry(long seq, Subscriber subscriber, int attempt, long dueNanos) {}

  private final ConcurrentLinkedQueue<Retry> reported = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Retry> due =
      new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos(), b.dueNanos()));

  /** From any thread. */
  void report(Retry retry) {
    reported.add(retry);
  }

  /** The earliest retry due by {@code nowNanos}, or null; run's thread only. */
  Retry takeDue(long nowNanos) {
    moveReported();
    Retry first = due.peek();
    return first != null && first.dueNanos() - nowNanos <= 0 ? due.poll() : null;
  }

  void putBack(Retry retry) {
    due.add(retry);
  }

  boolean isEmpty() {
    moveReported();
    return due.isEmpty();
  }

  /** Every retry not yet made, taken out of the book: the run ends without them. */
  List<Retry> takeAll() {
    moveReported();
    List<Retry> all = List.copyOf(due);
    due.clear();
    return all;
  }

  /** Poll, not iterate: a failure reported meanwhile is taken by the next call, never lost. */
  private void moveReported() {
    for (Retry r = reported.poll(); r != null; r = reported.poll()) {
      due.add(r);
    }
  }
}
