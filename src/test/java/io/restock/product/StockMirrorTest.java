package io.restock.product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.restock.infra.RedisKeys;
import io.restock.support.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The Redis copy of the stock, on real Redis: writers that do not take turns. */
class StockMirrorTest {
  private static final long PRODUCT = 1;

  private RedisClient redis;
  private StockMirror mirror;

  @BeforeEach
  void open() {
    TestServices.get().clean();
    redis = TestServices.get().redis();
    mirror = new StockMirror(redis);
  }

  @AfterEach
  void close() {
    redis.close();
  }

  @Test
  void an_older_copy_never_replaces_a_newer_one() {
    mirror.set(PRODUCT, 4, 6);
    mirror.set(PRODUCT, 5, 5); // a purchase that read the row before the change to version 6
    assertEquals("4", copy());
    mirror.set(PRODUCT, 4, 6); // the same row read again
    mirror.set(PRODUCT, 9, 7);
    assertEquals("9", copy());
    assertEquals("7", redis.get(RedisKeys.stockVersion(PRODUCT)));
  }

  @Test
  void a_purchase_under_way_is_off_every_copy_until_it_settles() {
    mirror.set(PRODUCT, 10, 1);
    String first = takeAhead(3);
    assertEquals("7", copy());
    String second = takeAhead(1);
    // Another writer copies the row as it was before either purchase reached MySQL.
    mirror.set(PRODUCT, 10, 1);
    assertEquals("6", copy());

    mirror.settle(PRODUCT, first, 7, 2);
    assertEquals("6", copy(), "the second is still under way");
    mirror.settle(PRODUCT, second, 6, 3);
    assertEquals("6", copy());
    mirror.set(PRODUCT, 6, 3);
    assertEquals("6", copy(), "no ticket is left to count");
  }

  /** Asked for more than there is, refused, and read back before the other one committed. */
  @Test
  void a_purchase_that_settles_after_a_newer_copy_gives_back_what_it_took_ahead() {
    mirror.set(PRODUCT, 5, 1);
    String refused = takeAhead(10);
    String bought = takeAhead(1);
    mirror.settle(PRODUCT, bought, 4, 2);
    assertEquals("-6", copy(), "the refused one is still under way");
    mirror.settle(PRODUCT, refused, 5, 1);
    assertEquals("4", copy());
    assertEquals("2", redis.get(RedisKeys.stockVersion(PRODUCT)));
  }

  @Test
  void a_purchase_refused_by_mysql_gives_back_what_it_took_ahead() {
    mirror.set(PRODUCT, 1, 4);
    String ticket = takeAhead(2);
    assertEquals("-1", copy());
    mirror.settle(PRODUCT, ticket, 1, 4); // the row, unchanged: MySQL had too few
    assertEquals("1", copy());
  }

  @Test
  void the_ticket_of_a_purchase_that_died_stops_counting_once_it_is_old() {
    // Taken ahead at 1 ms past the epoch and never settled: its process was killed.
    redis.hset(RedisKeys.stockTickets(PRODUCT), "dead", "2:1");
    takeAhead(1);
    mirror.set(PRODUCT, 10, 1);
    assertEquals("9", copy(), "only the live ticket counts");
    assertNull(redis.hget(RedisKeys.stockTickets(PRODUCT), "dead"));
  }

  @Test
  void a_failed_change_drops_its_own_copy_but_not_one_a_later_change_wrote() {
    mirror.set(PRODUCT, 0, 6); // a later change already wrote version 6 over the failed 5
    mirror.forget(PRODUCT, 5);
    assertEquals("0", copy());

    mirror.forget(PRODUCT, 6);
    assertNull(copy());
    mirror.set(PRODUCT, 7, 5); // the row's real version, read back by the send loop
    assertEquals("7", copy());
  }

  private String takeAhead(int quantity) {
    String ticket = StockMirror.newTicket();
    mirror.takeAhead(PRODUCT, ticket, quantity);
    return ticket;
  }

  /** The stock the send loop sees. */
  private String copy() {
    return redis.get(RedisKeys.stock(PRODUCT));
  }
}
