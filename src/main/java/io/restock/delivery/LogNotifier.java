package io.restock.delivery;

import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default notifier: writes each message to the log (at DEBUG, so rounds stay quiet). */
public final class LogNotifier implements Notifier {
  private static final Logger log = LoggerFactory.getLogger(LogNotifier.class);

  @Override
  public CompletableFuture<Void> send(Notification n) {
    log.debug("notify user {} that product {} is back (round {})", n.userId(), n.productId(),
        n.restockRound());
    return CompletableFuture.completedFuture(null);
  }
}
