package io.restock.product;

import io.restock.infra.GuardedWrite;
import io.restock.infra.RedisKeys;
import io.restock.infra.RedisScript;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;

/**
 * A copy of each product's stock in Redis, so the send loop can see a sale before every message
 * without asking MySQL. Purchases do not take turns to write it (each is one MySQL statement that
 * commits on its own), so the copy is kept from going high by two rules:
 * <ul>
 *   <li>a copy carries the {@code stock_version} of the row it was read from, and is never
 *       replaced by an older one;
 *   <li>a purchase takes its quantity off the copy before MySQL takes it off the row, and leaves
 *       a ticket that every later copy subtracts until the purchase settles it with the row it
 *       read back. A purchase killed in between leaves the copy low (the send loop reads MySQL
 *       again before it ends a round as sold out), never high (it never sends past a sale); its
 *       ticket counts for {@link #TICKET_MILLIS}.
 * </ul>
 */
public final class StockMirror {
  /**
   * Longer than any purchase can take (a connection within 3 s, its statement within
   * ProductDao.TAKE_TIMEOUT_SECONDS); a ticket older than this is one whose purchase died.
   */
  static final long TICKET_MILLIS = 30_000;

  /**
   * Lua, for every script that reads the copy: {@code takenAhead(tickets, nowMillis, ticketMillis,
   * prune)} is what purchases still under way have taken off it; tickets older than
   * {@code ticketMillis} (the script's caller passes {@link #ticketMillis()}) do not count, and are
   * deleted when {@code prune}. {@code nowMillis()} is Redis's clock.
   * {@code soldOut(stock, tickets, ticketMillis)}: a copy at 0 or below is a sell-out only if
   * giving all of that back would still leave none, since a purchase under way may yet be refused.
   */
  public static final String LUA_TAKEN_AHEAD = """
      local function takenAhead(tickets, nowMillis, ticketMillis, prune)
        local ahead = 0
        local all = redis.call('HGETALL', tickets)
        for i = 1, #all, 2 do
          local quantity, at = string.match(all[i + 1], '(%d+):(%d+)')
          if tonumber(at) < nowMillis - tonumber(ticketMillis) then
            if prune then redis.call('HDEL', tickets, all[i]) end
          else
            ahead = ahead + tonumber(quantity)
          end
        end
        return ahead
      end
      local function nowMillis()
        local t = redis.call('TIME')
        return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      end
      local function soldOut(stock, tickets, ticketMillis)
        return stock <= 0 and stock + takenAhead(tickets, nowMillis(), ticketMillis, false) <= 0
      end
      """;

  /**
   * KEYS: stock, version, tickets. ARGV: stock, version, ticket to settle (or ''), ticket age
   * limit. The copy is the row's stock less what purchases still under way have taken ahead. A
   * copy newer than the row read back already counts this purchase as under way (its ticket, or
   * its own take-ahead): that is given back, the rest left as the newer copy has it.
   */
  private static final String SETTLE = LUA_TAKEN_AHEAD + """
      local mine = 0
      if ARGV[3] ~= '' then
        local ticket = redis.call('HGET', KEYS[3], ARGV[3])
        if ticket then
          mine = tonumber(string.match(ticket, '^(%d+):'))
          redis.call('HDEL', KEYS[3], ARGV[3])
        end
      end
      local held = redis.call('GET', KEYS[2])
      if held and tonumber(held) > tonumber(ARGV[2]) then
        if mine > 0 and redis.call('EXISTS', KEYS[1]) == 1 then redis.call('INCRBY', KEYS[1], mine) end
        return 0
      end
      local ahead = takenAhead(KEYS[3], nowMillis(), ARGV[4], true)
      redis.call('SET', KEYS[1], string.format('%.0f', tonumber(ARGV[1]) - ahead))
      redis.call('SET', KEYS[2], ARGV[2])
      return 1
      """;
  /** KEYS: stock, tickets. ARGV: ticket, quantity, ticket age limit. */
  private static final String TAKE_AHEAD = LUA_TAKEN_AHEAD + """
      redis.call('HSET', KEYS[2], ARGV[1], string.format('%s:%.0f', ARGV[2], nowMillis()))
      redis.call('PEXPIRE', KEYS[2], ARGV[3])
      if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECRBY', KEYS[1], ARGV[2]) end
      return 1
      """;

  private final UnifiedJedis redis;
  private final RedisScript settle = new RedisScript(SETTLE);
  private final RedisScript takeAhead = new RedisScript(TAKE_AHEAD);

  public StockMirror(UnifiedJedis redis) {
    this.redis = redis;
  }

  /** The argument {@link #LUA_TAKEN_AHEAD}'s callers pass on. */
  public static String ticketMillis() {
    return Long.toString(TICKET_MILLIS);
  }

  /** The row's stock at {@code version}, unless the copy already holds a later change. */
  public void set(long productId, int stock, long version) {
    settle(productId, "", stock, version);
  }

  /** A new purchase's ticket, for {@link #takeAhead} and {@link #settle}. */
  public static String newTicket() {
    return UUID.randomUUID().toString();
  }

  /** Before a purchase reaches MySQL: the copy runs low until the purchase settles. */
  public void takeAhead(long productId, String ticket, int quantity) {
    takeAhead.run(redis, List.of(RedisKeys.stock(productId), RedisKeys.stockTickets(productId)),
        List.of(ticket, Integer.toString(quantity), ticketMillis()));
  }

  /** After a purchase: its ticket is done, and the row as read back since is copied. */
  public void settle(long productId, String ticket, int stock, long version) {
    settle.run(redis, List.of(RedisKeys.stock(productId), RedisKeys.stockVersion(productId),
            RedisKeys.stockTickets(productId)),
        List.of(Integer.toString(stock), Long.toString(version), ticket, ticketMillis()));
  }

  /**
   * Drops a copy that may be ahead of MySQL (a transaction that failed after writing it), but
   * only if it still holds that transaction's version: a later change may have replaced it. The
   * send loop reloads a dropped copy from MySQL.
   */
  public void forget(long productId, long writtenVersion) {
    // One compare-and-delete of both keys: the version goes too, or the row's own (older)
    // version could never be copied back.
    String version = RedisKeys.stockVersion(productId);
    GuardedWrite.run(redis, new GuardedWrite.Guard(version, Long.toString(writtenVersion)),
        GuardedWrite.Write.of("DEL", version, RedisKeys.stock(productId)));
  }
}
