package io.restock.delivery;

import java.util.concurrent.CompletableFuture;

/** Delivers one message; the future fails when the provider did not take it. */
public interface Notifier {
  CompletableFuture<Void> send(Notification notification);
}
