package io.restock.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.infra.RedisKeys;
import io.restock.round.CursorStore;
import io.restock.round.RoundOwner;
import io.restock.support.TestServices;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The sent log and the lease that fences it, in the real Redis. */
class SentLogTest {
  @Test
  void a_run_whose_lease_expired_cannot_renew_it_and_writes_nothing() {
    TestServices.get().clean();
    try (RedisClient redis = TestServices.get().redis()) {
      RoundLeases leases = new RoundLeases(redis);
      RoundOwner paused = new RoundOwner(1, 1, "paused", 1);
      assertTrue(leases.acquire(1, 1, paused.token()));
      redis.del(RedisKeys.lease(1, 1)); // expired while the run was paused
      assertFalse(leases.renew(paused), "an expired lease was taken again by renewing it");
      assertFalse(leases.isHeld(1, 1));

      RoundOwner next = new RoundOwner(1, 1, "next", 2);
      assertTrue(leases.acquire(1, 1, next.token()));
      new SentLog(redis).forget(paused);
      new CursorStore(redis).delete(paused);
      redis.hset(RedisKeys.sentLog(1, 1), "9", SentLog.LEFT);
      new SentLog(redis).forget(paused);
      assertEquals(SentLog.LEFT, redis.hget(RedisKeys.sentLog(1, 1), "9"), "a lost run deleted the sent log");
      leases.release(paused);
      assertTrue(leases.isHeld(1, 1), "a lost run released the new owner's lease");
    }
  }
}
