package io.restock.delivery;

/**
 * A message held back before it left: the product sold out meanwhile, or Redis could not be asked.
 * Nothing reached the provider, so it goes back to the send loop without using up an attempt.
 */
public final class NotSent extends RuntimeException {
  public NotSent(String message, Throwable cause) {
    super(message, cause);
  }
}
