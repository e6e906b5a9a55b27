package io.restock.round;

import io.restock.product.StockChanges;
import java.time.Clock;
import java.time.LocalDateTime;
import org.jdbi.v3.core.Handle;

/** What stock changes do to rounds, in the change's transaction (SPEC rules 9 and 10). */
public final class RoundStockEffects implements StockChanges.RoundEffects {
  private final RoundMetrics metrics;
  private final Clock clock;
  private final int attributionWindowHours;

  public RoundStockEffects(RoundMetrics metrics, Clock clock, int attributionWindowHours) {
    this.metrics = metrics;
    this.clock = clock;
    this.attributionWindowHours = attributionWindowHours;
  }

  @Override
  public void soldOut(Handle handle, long productId) {
    handle.attach(RoundDao.class).endWaitingSoldOut(productId);
  }

  /** Counts for the latest round that told the buyer within the window; nothing otherwise. */
  @Override
  public void bought(Handle handle, long productId, long userId, int quantity) {
    ConversionDao conversions = handle.attach(ConversionDao.class);
    LocalDateTime since = LocalDateTime.now(clock).minusHours(attributionWindowHours);
    conversions.latestRoundThatTold(productId, userId, since).ifPresent(round -> {
      int newBuyers = conversions.recordBuyer(productId, round, userId);
      conversions.count(productId, round, newBuyers, quantity);
      // Counted once the purchase is committed: one refused by Redis or MySQL rolls back.
      handle.afterCommit(() -> metrics.converted(newBuyers, quantity));
    });
  }
}
