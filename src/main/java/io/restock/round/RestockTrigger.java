package io.restock.round;

import io.restock.infra.ApiError;
import io.restock.jobs.RestockJobs;
import io.restock.product.ProductDao;
import io.restock.product.StockChanges;
import io.restock.subscription.SubscriptionDao;

/**
 * Starts a round (restock) or continues a stopped one (admin resend). Both run under the product's
 * row lock, so racing requests on one product start one round; the job is queued before the
 * commit, so when Redis is down nothing is written and the caller gets a 503.
 */
public final class RestockTrigger {
  /** What the caller is told: the round queued and its state. */
  public record RoundStarted(long productId, int restockRound, RoundStatus status) {}

  private final StockChanges stock;
  private final RestockJobs jobs;
  private final RoundMetrics metrics;

  public RestockTrigger(StockChanges stock, RestockJobs jobs, RoundMetrics metrics) {
    this.stock = stock;
    this.jobs = jobs;
    this.metrics = metrics;
  }

  public RoundStarted restock(long productId, int addedStock) {
    RoundStarted started = stock.underLock(productId, locked -> {
      RoundDao rounds = locked.handle().attach(RoundDao.class);
      RestockRound latest = rounds.latest(productId).orElse(null);
      if (latest != null && latest.status() == RoundStatus.IN_PROGRESS) {
        throw roundInProgress(latest);
      }
      if ((long) locked.stock() + addedStock == 0) {
        throw ApiError.conflict("OUT_OF_STOCK", "Product " + productId + " has no stock to announce");
      }
      int minStock = new ProductDao(locked.handle()).policy(productId).orElseThrow()
          .minStock();
      if ((long) locked.stock() + addedStock < minStock) {
        throw ApiError.conflict("BELOW_MIN_STOCK", "Product " + productId + " would have "
            + ((long) locked.stock() + addedStock) + " in stock; its policy sends no wave below "
            + minStock);
      }
      int round = locked.restock(addedStock);
      SendPosition startAfter = latest == null ? null : latest.nextRoundStartAfter();
      rounds.insert(productId, round,
          startAfter == null ? null : startAfter.createdAt(),
          startAfter == null ? null : startAfter.subscriptionId(),
          new SubscriptionDao(locked.handle()).countActive(productId));
      jobs.publish(productId, round);
      return new RoundStarted(productId, round, RoundStatus.IN_PROGRESS);
    });
    metrics.roundStarted();
    return started;
  }

  public RoundStarted resend(long productId) {
    return stock.underLock(productId, locked -> {
      RoundDao rounds = locked.handle().attach(RoundDao.class);
      RestockRound latest = rounds.latest(productId).orElseThrow(() ->
          ApiError.notFound("Product " + productId + " has no restock round to resend"));
      if (latest.status() == RoundStatus.IN_PROGRESS) {
        throw roundInProgress(latest);
      }
      if (latest.status() == RoundStatus.COMPLETED) {
        throw ApiError.conflict("ROUND_COMPLETED",
            "Round " + latest.restockRound() + " of product " + productId + " already completed");
      }
      if (locked.stock() == 0) {
        throw ApiError.conflict("OUT_OF_STOCK", "Product " + productId + " is sold out");
      }
      rounds.reopen(productId, latest.restockRound());
      jobs.publish(productId, latest.restockRound());
      return new RoundStarted(productId, latest.restockRound(), RoundStatus.IN_PROGRESS);
    });
  }

  private static ApiError roundInProgress(RestockRound round) {
    return ApiError.conflict("ROUND_IN_PROGRESS", "Round " + round.restockRound() + " of product "
        + round.productId() + (round.waitingForWave()
            ? " waits for its next wave at " + round.nextWaveAt() + "Z" : " is still sending"));
  }
}
