package io.restock.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.infra.Redis;
import io.restock.infra.SendAheadConnection;
import io.restock.support.TestServices;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.Pool;

/** The log entry a message makes on its way out, against the real Redis. */
class SentLogTest {
  @Test
  void a_message_leaves_with_its_entry_in_redis_and_not_without_a_sure_lease() {
    TestServices.get().clean();
    try (RedisClient redis = TestServices.get().redis();
        Pool<SendAheadConnection> sendAhead = Redis.sendAhead(TestServices.get().config(Map.of()), 2)) {
      SentLog sentLog = new SentLog(redis, sendAhead);
      AtomicBoolean released = new AtomicBoolean();

      Notification lapsed = new Notification(1, 7, 1, System.nanoTime(), () -> false);
      assertThrows(NotSent.class, () -> sentLog.leaving(lapsed, () -> released.set(true)));
      assertFalse(released.get(), "the last byte was written without a sure lease");
      assertNull(redis.hget(SentLog.key(1, 1), "7"));

      Notification held = new Notification(1, 8, 1, System.nanoTime(), () -> true);
      sentLog.leaving(held, () -> released.set(true));
      assertTrue(released.get());
      assertEquals(SentLog.LEFT, redis.hget(SentLog.key(1, 1), "8"));
      assertEquals(0, sendAhead.getNumActive(), "a connection was not given back");
    }
  }
}
