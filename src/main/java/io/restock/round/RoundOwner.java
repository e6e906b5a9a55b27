package io.restock.round;

import io.restock.infra.GuardedWrite;
import io.restock.infra.RedisKeys;

/**
 * The run that owns a round: the token its Redis lease holds and the epoch it claimed in MySQL.
 * Every write the run makes is fenced by one of them, in the same script or statement: a run that
 * lost the round (paused past its lease, say) changes nothing once another has claimed it.
 */
public record RoundOwner(long productId, int round, String token, long epoch) {
  /**
   * The round's working keys (cursor, sent log) are deleted when a run ends; one left behind by
   * a run that died and was never resumed expires this long after its last write instead.
   */
  public static final long KEYS_OUTLIVE_MILLIS = java.time.Duration.ofDays(1).toMillis();

  /**
   * Where this run's send numbers begin: its epoch in the high 32 bits, so no two runs of a round
   * number two sends alike, and a later run's sends come after an earlier one's in send order.
   */
  public long firstSeq() {
    return epoch << 32;
  }

  /** The guard of the run's Redis writes: the round's lease still holds this run's token. */
  public GuardedWrite.Guard guard() {
    return new GuardedWrite.Guard(RedisKeys.lease(productId, round), token);
  }
}
