package io.restock.product;

import io.restock.infra.ApiError;
import java.util.OptionalLong;

/**
 * How a product's rounds are paced (SPEC rule 9): each wave tells at most {@code perUnit} × the
 * stock when it starts, then the round waits {@code waveIntervalSeconds}; no wave starts, and no
 * trigger is taken, while stock is below {@code minStock}. {@code perUnit} null: no waves.
 */
public record NotificationPolicy(Integer perUnit, int waveIntervalSeconds, int minStock) {
  static final int MAX_INTERVAL_SECONDS = 86_400;

  /** The policy a product has until one is set: everyone at once. */
  public static final NotificationPolicy DEFAULT = new NotificationPolicy(null, 3_600, 1);

  public NotificationPolicy {
    if (perUnit != null && perUnit < 1) {
      throw ApiError.badRequest("Field 'perUnit' must be at least 1, or null for no waves");
    }
    if (waveIntervalSeconds < 1 || waveIntervalSeconds > MAX_INTERVAL_SECONDS) {
      throw ApiError.badRequest(
          "Field 'waveIntervalSeconds' must be 1.." + MAX_INTERVAL_SECONDS + " seconds");
    }
    if (minStock < 1) {
      throw ApiError.badRequest("Field 'minStock' must be at least 1");
    }
  }

  /**
   * How many subscribers a wave starting with this stock may tell; empty without waves. A long:
   * k × stock may pass Integer.MAX_VALUE.
   */
  public OptionalLong waveQuota(int stock) {
    return perUnit == null ? OptionalLong.empty() : OptionalLong.of((long) perUnit * stock);
  }
}
