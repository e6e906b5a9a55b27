package io.restock.dispatch;

import io.restock.round.SendPosition;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The order a round walks its subscribers in: from just after {@code startAfter} to the end, then
 * from the beginning up to and including {@code startAfter}, so a round that follows a cut-off one
 * tells first those the cut-off one never reached. Resumes from a cursor in either half.
 */
final class SendOrder {
  private static final LocalDateTime BEFORE_ALL = LocalDateTime.of(1000, 1, 1, 0, 0);
  private static final LocalDateTime AFTER_ALL = LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000);

  /** Reads one page of the order: active subscribers after one position, up to another. */
  interface Pages {
    List<Subscriber> page(SendPosition after, SendPosition until, int limit);

    static Pages of(SendOrderDao dao, long productId, int round) {
      return (after, until, limit) -> dao.page(productId, round,
          after == null ? BEFORE_ALL : after.createdAt(), after == null ? 0 : after.subscriptionId(),
          until == null ? AFTER_ALL : until.createdAt(),
          until == null ? Long.MAX_VALUE : until.subscriptionId(), limit);
    }
  }

  private final SendPosition startAfter;
  private SendPosition after;
  private SendPosition until;
  private boolean wrapped;

  SendOrder(SendPosition startAfter, SendPosition cursor) {
    this.startAfter = startAfter;
    if (startAfter == null) {
      after = cursor;
      wrapped = true;
    } else if (cursor == null || cursor.compareTo(startAfter) > 0) {
      after = cursor == null ? startAfter : cursor;
    } else {
      after = cursor;
      until = startAfter;
      wrapped = true;
    }
  }

  /** The next page, empty when the order is done. */
  List<Subscriber> next(Pages pages, int limit) {
    while (true) {
      List<Subscriber> page = pages.page(after, until, limit);
      if (!page.isEmpty()) {
        after = page.get(page.size() - 1).position();
        return page;
      }
      if (wrapped) {
        return page;
      }
      wrapped = true;
      after = null;
      until = startAfter;
    }
  }
}
