package io.restock.dispatch;

import io.restock.product.NotificationPolicy;
import io.restock.product.ProductDao;
import io.restock.round.RestockRound;
import io.restock.round.RoundDao;
import io.restock.round.RoundOwner;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;

/**
 * What a run of a round may send under its product's policy (SPEC rule 9), decided when the run
 * starts: the rest of the wave an earlier run began, a new wave of perUnit × the stock in MySQL
 * now, or nothing (sold out; or below minStock, so the round waits one interval more).
 */
record WavePlan(long quota, boolean soldOut, LocalDateTime waitUntil) {
  /** Without a policy a run may tell everyone. */
  private static final WavePlan UNLIMITED = new WavePlan(Long.MAX_VALUE, false, null);

  /** For the run that has just claimed the round; a new wave's end is written fenced. */
  static WavePlan forRun(Jdbi jdbi, Clock clock, RestockRound round, RoundOwner owner,
      int notified) {
    if (round.waveEndsAtCount() != null) {
      return new WavePlan(Math.max(0, round.waveEndsAtCount() - notified), false, null);
    }
    return jdbi.inTransaction(h -> {
      ProductDao products = new ProductDao(h);
      NotificationPolicy policy = products.policy(round.productId()).orElseThrow();
      int stock = products.find(round.productId()).orElseThrow().stock();
      OptionalLong quota = policy.waveQuota(stock);
      if (quota.isEmpty()) {
        return UNLIMITED;
      }
      if (stock == 0) {
        return new WavePlan(0, true, null);
      }
      if (stock < policy.minStock()) {
        return new WavePlan(0, false, nextWave(policy, clock));
      }
      int endsAt = (int) Math.min(Integer.MAX_VALUE, notified + quota.getAsLong());
      // A run that lost the round writes nothing here; its end finds that out and stops.
      h.attach(RoundDao.class).startWave(owner.productId(), owner.round(), owner.epoch(), endsAt);
      return new WavePlan(endsAt - notified, false, null);
    });
  }

  /** When the round that has just sent a wave of this product's sends the next. */
  static LocalDateTime nextWave(Jdbi jdbi, Clock clock, long productId) {
    return nextWave(jdbi.withHandle(h -> new ProductDao(h).policy(productId)).orElseThrow(),
        clock);
  }

  private static LocalDateTime nextWave(NotificationPolicy policy, Clock clock) {
    // MySQL keeps microseconds: the time written is the time the wave timer reads back.
    return LocalDateTime.now(clock).plusSeconds(policy.waveIntervalSeconds())
        .truncatedTo(ChronoUnit.MICROS);
  }
}
