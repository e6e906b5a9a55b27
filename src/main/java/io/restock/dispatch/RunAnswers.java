package io.restock.dispatch;

import io.restock.delivery.NotSent;
import io.restock.delivery.ProviderRefusal;
import io.restock.round.RoundMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
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
  private record Refused(long seq, Subscriber subscriber, ProviderRefusal refusal) {}

  /** Refusals since the last delivery, not recorded yet. */
  private final List<Refused> refusedInARow = new ArrayList<>();
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
    try {
      handle(seq, subscriber, attempt, error);
    } catch (RuntimeException e) {
      // A bug here must still settle the message and stop the round, never leave it waiting.
      fail(seq, "the answer for user " + subscriber.userId() + " could not be handled: " + e);
    }
  }

  private void handle(long seq, Subscriber subscriber, int attempt, Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    if (error == null) {
      recordRefusalsBefore(seq);
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

  /**
   * A refusal is recorded once a delivery ends the run of refusals it is in (or the run ends):
   * if the run reaches {@link #MAX_REJECTED_IN_A_ROW}, it is our request the provider refuses, so
   * none of them is recorded as rejected and a resend tries them again.
   */
  private synchronized void rejected(long seq, Subscriber subscriber, ProviderRefusal refusal) {
    log.info("Round {}/{}: the provider refused user {} ({})", progress.productId(),
        progress.round(), subscriber.userId(), refusal.status());
    if (roundFailed) {
      progress.gaveUp(seq);
      return;
    }
    refusedInARow.add(new Refused(seq, subscriber, refusal));
    if (refusedInARow.size() >= MAX_REJECTED_IN_A_ROW) {
      roundFailed = true;
      log.warn("Round {}/{}: {} recipients in a row refused; the request must be wrong, the round"
          + " stops and none of them is counted as rejected", progress.productId(),
          progress.round(), refusedInARow.size());
      refusedInARow.forEach(r -> progress.gaveUp(r.seq()));
      refusedInARow.clear();
    }
  }

  /** The end of the run: the refusals still waiting were the recipients' own. */
  synchronized void recordRefusals() {
    recordRefusalsBefore(Long.MAX_VALUE);
  }

  /**
   * A delivery of the message sent {@code seq}-th ends the run of refusals sent before it (they
   * were the recipients' own), not of those sent after it: answers come back out of order, and a
   * delivery answered after the next messages' refusals must not break their run.
   */
  private synchronized void recordRefusalsBefore(long seq) {
    refusedInARow.removeIf(r -> {
      if (r.seq() >= seq) {
        return false;
      }
      history.rejected(progress, r.seq(), r.subscriber(), r.refusal());
      return true;
    });
  }


  private void fail(long seq, String why) {
    log.warn("Round {}/{}: {}", progress.productId(), progress.round(), why);
    metrics.failed();
    progress.gaveUp(seq);
    roundFailed = true;
  }
}
