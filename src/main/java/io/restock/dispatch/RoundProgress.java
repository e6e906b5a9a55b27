package io.restock.dispatch;

import io.restock.round.RoundOwner;
import io.restock.round.SendCursor;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run of a round has sent and recorded. Messages complete out of order when several are
 * in flight; the cursor only moves over a stretch of send order in which every message is
 * recorded, so resuming from it skips nobody (users recorded beyond it are skipped by the
 * history check instead).
 */
final class RoundProgress {
  private final RoundOwner owner;
  /** Sent in this run and not yet behind the cursor, by send sequence; true once recorded. */
  private final TreeMap<Long, Entry> open = new TreeMap<>();
  private SendCursor cursor;
  private int outstanding;

  private static final class Entry {
    final Subscriber subscriber;
    boolean done;
    boolean told;

    Entry(Subscriber subscriber) {
      this.subscriber = subscriber;
    }
  }

  public RoundProgress(RoundOwner owner, SendCursor start) {
    this.owner = owner;
    this.cursor = start;
  }

  /** The run this is the progress of, whose fence every write of it carries. */
  public RoundOwner owner() {
    return owner;
  }

  public long productId() {
    return owner.productId();
  }

  public int round() {
    return owner.round();
  }

  public synchronized void dispatched(long seq, Subscriber subscriber) {
    open.put(seq, new Entry(subscriber));
    outstanding++;
  }

  /** The message is in MySQL's history: count it and move the cursor as far as it can go. */
  public synchronized void recorded(long seq) {
    finish(seq, true);
  }

  /**
   * The provider refused the recipient for good, and MySQL has the rejection: the cursor may pass
   * the user, but the user is not counted, nor named as the last one told.
   */
  public synchronized void rejected(long seq) {
    finish(seq, false);
  }

  private void finish(long seq, boolean told) {
    Entry entry = open.get(seq);
    if (entry == null || entry.done) {
      return;
    }
    entry.done = true;
    entry.told = told;
    int count = cursor.notifiedCount() + (told ? 1 : 0);
    cursor = new SendCursor(cursor.lastUserId(), cursor.lastPosition(), count);
    while (!open.isEmpty() && open.firstEntry().getValue().done) {
      Entry reached = open.pollFirstEntry().getValue();
      Long lastTold = reached.told ? Long.valueOf(reached.subscriber.userId()) : cursor.lastUserId();
      cursor = new SendCursor(lastTold, reached.subscriber.position(), count);
    }
    settle();
  }

  /** The message will not be recorded (it failed for good): it holds the cursor where it is. */
  public synchronized void gaveUp(long seq) {
    if (open.containsKey(seq) && !open.get(seq).done) {
      settle();
    }
  }

  private void settle() {
    outstanding--;
    notifyAll();
  }

  public synchronized SendCursor cursor() {
    return cursor;
  }

  /**
   * Holds the sender back while {@code limit} or more sends wait to be recorded, so a round that
   * sends faster than MySQL records keeps a bounded backlog rather than a heap that grows with N.
   */
  public synchronized boolean awaitBacklogBelow(int limit, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (outstanding >= limit) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  /** Waits until every message sent is either recorded or given up; false on timeout. */
  public synchronized boolean awaitSettled(long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (outstanding > 0) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }
}
