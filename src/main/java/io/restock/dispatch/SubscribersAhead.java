package io.restock.dispatch;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * A run's subscribers in send order, read a page ahead, off the send loop: a page is a second of
 * sending at 500/s, and its read (two joins a row, 10-30 ms on a busy MySQL, more while a sale
 * hammers it) would otherwise hold the loop up past the lead its messages are handed on with.
 * One read at a time, each started when the one before is taken, so the order moves in sequence.
 */
final class SubscribersAhead {
  private final SendOrder order;
  private final SendOrder.Pages pages;
  private final int pageSize;
  private final Executor reader;
  private final Deque<Subscriber> page = new ArrayDeque<>();
  private CompletableFuture<List<Subscriber>> nextPage;
  private boolean lastPageRead;

  SubscribersAhead(SendOrder order, SendOrder.Pages pages, int pageSize, Executor reader) {
    this.order = order;
    this.pages = pages;
    this.pageSize = pageSize;
    this.reader = reader;
  }

  /**
   * The next subscriber, not taken; null at the end of the order. Waits for the page's read if
   * needed; a failed read is thrown as it failed, and tried again on the next call.
   */
  Subscriber peek() {
    if (page.isEmpty() && !lastPageRead) {
      if (nextPage == null) {
        nextPage = read();
      }
      List<Subscriber> read;
      try {
        read = nextPage.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      } finally {
        nextPage = null;
      }
      page.addAll(read);
      lastPageRead = read.isEmpty();
      nextPage = lastPageRead ? null : read();
    }
    return page.peek();
  }

  /** Takes the subscriber {@link #peek()} answered. */
  void poll() {
    page.poll();
  }

  /** True once every subscriber of the order has been taken. */
  boolean done() {
    return lastPageRead && page.isEmpty();
  }

  private CompletableFuture<List<Subscriber>> read() {
    return CompletableFuture.supplyAsync(() -> order.next(pages, pageSize), reader);
  }
}
