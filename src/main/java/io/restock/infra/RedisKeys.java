package io.restock.infra;

/**
 * Every key the service writes in Redis, named in one place. Per round: its lease (who sends it),
 * its live cursor and its sent log; per product: the stock copy, its version and the purchases
 * under way; shared: the job stream, the rate schedule and the last second's departures.
 */
public final class RedisKeys {
  public static final String JOBS = "restock:jobs";
  public static final String RATE_SCHEDULE = "restock:rate:schedule";
  public static final String DEPARTURES = "restock:rate:departures";

  private RedisKeys() {}

  public static String lease(long productId, int round) {
    return "restock:lease:" + productId + ":" + round;
  }

  public static String cursor(long productId, int round) {
    return "restock:cursor:" + productId + ":" + round;
  }

  public static String sentLog(long productId, int round) {
    return "restock:sent-log:" + productId + ":" + round;
  }

  public static String stock(long productId) {
    return "restock:stock:" + productId;
  }

  /** Which change of the product's row (its {@code stock_version}) the stock copy holds. */
  public static String stockVersion(long productId) {
    return "restock:stock-version:" + productId;
  }

  /** What purchases under way have taken off the stock copy ahead of MySQL (StockMirror). */
  public static String stockTickets(long productId) {
    return "restock:stock-tickets:" + productId;
  }
}
