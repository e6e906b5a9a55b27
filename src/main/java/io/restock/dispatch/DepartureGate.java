package io.restock.dispatch;

import io.restock.delivery.NotSent;
import io.restock.delivery.Notification;
import io.restock.delivery.WebhookNotifier;

/**
 * What a sending thread does around each webhook request. Before its last byte: a late message
 * takes a fresh slot of the shared rate (and so checks the stock again); then it is logged in
 * Redis as leaving, unless its run's lease may have lapsed. If the provider then does not take
 * it, the entry is withdrawn, so the retry or a later resend is not mistaken for a message
 * already sent.
 */
public final class DepartureGate implements WebhookNotifier.SendGate {
  private final GlobalRateLimiter limiter;
  private final SentLog sentLog;

  public DepartureGate(GlobalRateLimiter limiter, SentLog sentLog) {
    this.limiter = limiter;
    this.sentLog = sentLog;
  }

  @Override
  public void leaving(Notification n, Runnable release) {
    try {
      // As late as it can be: whatever held the message up (a new connection, a pause) is over.
      limiter.rebookIfLate(n);
    } catch (NotSent e) {
      throw e;
    } catch (RuntimeException e) {
      throw new NotSent("Redis did not answer before the message left: " + e.getMessage(), e);
    }
    sentLog.leaving(n, release);
  }

  @Override
  public void notTaken(Notification n) {
    sentLog.withdraw(n);
  }
}
