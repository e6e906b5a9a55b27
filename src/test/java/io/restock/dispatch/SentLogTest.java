package io.restock.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.delivery.NotSent;
import io.restock.delivery.Notification;
import io.restock.infra.RedisKeys;
import io.restock.round.CursorStore;
import io.restock.round.RoundOwner;
import io.restock.support.TestServices;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The log entry a message makes on its way out, fenced by its run's lease, in the real Redis. */
class SentLogTest {
  @Test
  void a_message_leaves_with_its_entry_only_while_its_run_holds_the_lease() {
    TestServices.get().clean();
    try (RedisClient redis = TestServices.get().redis()) {
      SentLog sentLog = new SentLog(redis);
      RoundLeases leases = new RoundLeases(redis);
      AtomicBoolean released = new AtomicBoolean();

      Notification noLease = new Notification(1, "Boot", 7, 1, System.nanoTime(), "run-a");
      assertThrows(NotSent.class, () -> sentLog.leaving(noLease, () -> released.set(true)));
      assertFalse(released.get(), "the last byte was written with no lease on the round");
      assertNull(redis.hget(RedisKeys.sentLog(1, 1), "7"));

      assertTrue(leases.acquire(1, 1, "run-b"));
      assertThrows(NotSent.class, () -> sentLog.leaving(noLease, () -> released.set(true)));
      assertFalse(released.get(), "the last byte was written under another run's lease");
      assertNull(redis.hget(RedisKeys.sentLog(1, 1), "7"));

      Notification owned = new Notification(1, "Boot", 8, 1, System.nanoTime(), "run-b");
      sentLog.leaving(owned, () -> released.set(true));
      assertTrue(released.get());
      assertEquals(SentLog.LEFT, redis.hget(RedisKeys.sentLog(1, 1), "8"));
      assertTrue(redis.pttl(RedisKeys.sentLog(1, 1)) > 0, "the sent log would outlive its round for ever");
    }
  }

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
