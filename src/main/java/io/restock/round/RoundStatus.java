package io.restock.round;

public enum RoundStatus {
  IN_PROGRESS,
  CANCELED_BY_SOLD_OUT,
  CANCELED_BY_ERROR,
  COMPLETED
}
