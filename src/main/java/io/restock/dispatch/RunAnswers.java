package io.restock.dispatch;

import io.restock.delivery.NotSent;
import io.restock.delivery.ProviderRefusal;
import io.restock.round.RoundMetrics;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run does with the answer each of its messages gets (SPEC rule 11): a delivery is
 * recorded; a recipient refused for good is recorded as rejected and the round goes on, unless
 * too many in a row are (then it is our request that is wrong); a provider refusing us ends the
 * round at once; anything else is tried again after a delay, a few times. Called on the sending
 * threads.
 */
final class RunAnswers {
  private static final Logger log = LoggerFactory.getLogger(RunAnswers.class);
  static final int MAX_ATTEMPTS = 3;
  static final int MAX_REJECTED_IN_A_ROW = 20;

  private final RoundProgress progress;
  private final HistoryWriter history;
  private final RoundMetrics metrics;
  private final RetryBook retries;
  private final RetryDelay delays;
  private final AtomicInteger rejectedInARow = new AtomicInteger();
  private volatile boolean roundFailed;

  RunAnswers(RoundProgress progress, HistoryWriter history, RoundMetrics metrics,
      RetryBook retries, RetryDelay delays) {
    this.progress = progress;
    this.history = history;
    this.metrics = metrics;
    this.retries = retries;
    this.delays = delays;
  }

  /** True once an answer has ended the round (CANCELED_BY_ERROR). */
  boolean roundFailed() {
    return roundFailed;
  }

  void answered(long seq, Subscriber subscriber, int attempt, Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    if (error == null) {
      rejectedInARow.set(0);
      metrics.sent();
      history.sent(progress, seq, subscriber);
    } else if (cause instanceof NotSent) {
      // Held back before it left: back to the loop, which checks the stock again.
      retries.report(new RetryBook.Retry(seq, subscriber, attempt, System.nanoTime()));
    } else if (cause instanceof ProviderRefusal refusal
        && refusal.meaning() == ProviderRefusal.Meaning.RECIPIENT_REJECTED) {
      rejected(seq, subscriber, refusal);
    } else if (cause instanceof ProviderRefusal refusal
        && refusal.meaning() == ProviderRefusal.Meaning.WE_ARE_REFUSED) {
      fail(seq, "the provider refuses our requests (" + refusal.status() + ")");
    } else if (attempt < MAX_ATTEMPTS) {
      String retryAfter = cause instanceof ProviderRefusal refusal ? refusal.retryAfter() : null;
      long due = System.nanoTime() + delays.after(attempt, retryAfter).toNanos();
      retries.report(new RetryBook.Retry(seq, subscriber, attempt + 1, due));
    } else {
      fail(seq, "user " + subscriber.userId() + " could not be notified after " + attempt
          + " attempts: " + cause.getMessage());
    }
  }

  private void rejected(long seq, Subscriber subscriber, ProviderRefusal refusal) {
    history.rejected(progress, seq, subscriber, refusal);
    int inARow = rejectedInARow.incrementAndGet();
    log.info("Round {}/{}: the provider refused user {} for good ({}); the round goes on",
        progress.productId(), progress.round(), subscriber.userId(), refusal.status());
    if (inARow >= MAX_REJECTED_IN_A_ROW) {
      roundFailed = true;
      log.warn("Round {}/{}: {} recipients in a row refused; the request must be wrong, the round"
          + " stops", progress.productId(), progress.round(), inARow);
    }
  }

  private void fail(long seq, String why) {
    log.warn("Round {}/{}: {}", progress.productId(), progress.round(), why);
    metrics.failed();
    progress.gaveUp(seq);
    roundFailed = true;
  }
}
