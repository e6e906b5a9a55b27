package io.restock.product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.restock.infra.RedisKeys;
import io.restock.support.TestServices;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The Redis copy of the stock, on real Redis. */
class StockMirrorTest {
  @Test
  void a_failed_change_drops_its_own_copy_but_not_one_a_later_change_wrote() {
    TestServices.get().clean();
    try (RedisClient redis = TestServices.get().redis()) {
      StockMirror mirror = new StockMirror(redis);
      mirror.set(1, 0); // a later change already wrote 0 over the failed one's 5
      mirror.forget(1, 5);
      assertEquals("0", redis.get(RedisKeys.stock(1)));

      mirror.forget(1, 0);
      assertNull(redis.get(RedisKeys.stock(1)));

      mirror.restoreIfMissing(1, 7);
      mirror.restoreIfMissing(1, 9);
      assertEquals("7", redis.get(RedisKeys.stock(1)));
    }
  }
}
