package io.restock.product;

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
 *       read back. A purchase killed in between leaves the copy low (the round may stop early),
 *       never high (it never sends past a sale); its ticket counts for {@link #TICKET_MILLIS}.
 * </ul>
 */
public final class StockMirror {
  /** Longer than any purchase takes; a ticket older than this is one whose purchase died. */
  static final long TICKET_MILLIS = 10_000;

  /**
   * KEYS: stock, version, tickets. ARGV: stock, version, ticket to settle (or ''), ticket age
   * limit. The copy is the row's stock less what purchases still under way have taken ahead.
   */
  private static final String SETTLE = """
      if ARGV[3] ~= '' then redis.call('HDEL', KEYS[3], ARGV[3]) end
      local held = redis.call('GET', KEYS[2])
      if held and tonumber(held) > tonumber(ARGV[2]) then return 0 end
      local t = redis.call('TIME')
      local oldest = tonumber(t[1]) * 1000 - tonumber(ARGV[4])
      local ahead = 0
      local tickets = redis.call('HGETALL', KEYS[3])
      for i = 1, #tickets, 2 do
        local quantity, at = string.match(tickets[i + 1], '(%d+):(%d+)')
        if tonumber(at) < oldest then
          redis.call('HDEL', KEYS[3], tickets[i])
        else
          ahead = ahead + tonumber(quantity)
        end
      end
      redis.call('SET', KEYS[1], string.format('%.0f', tonumber(ARGV[1]) - ahead))
      redis.call('SET', KEYS[2], ARGV[2])
      return 1
      """;
  /** KEYS: stock, tickets. ARGV: ticket, quantity, ticket age limit. */
  private static final String TAKE_AHEAD = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      redis.call('HSET', KEYS[2], ARGV[1], string.format('%s:%.0f', ARGV[2], now))
      redis.call('PEXPIRE', KEYS[2], ARGV[3])
      if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECRBY', KEYS[1], ARGV[2]) end
      return 1
      """;
  /** KEYS: stock, version. ARGV: the version a failed change wrote. */
  private static final String DROP_IF_HOLDS = """
      if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
      redis.call('DEL', KEYS[1], KEYS[2])
      return 1
      """;

  private final UnifiedJedis redis;
  private final RedisScript settle = new RedisScript(SETTLE);
  private final RedisScript takeAhead = new RedisScript(TAKE_AHEAD);
  private final RedisScript dropIfHolds = new RedisScript(DROP_IF_HOLDS);

  public StockMirror(UnifiedJedis redis) {
    this.redis = redis;
  }

  /** The row's stock at {@code version}, unless the copy already holds a later change. */
  public void set(long productId, int stock, long version) {
    settle(productId, "", stock, version);
  }

  /** Before a purchase reaches MySQL; answers the ticket its {@link #settle} hands back. */
  public String takeAhead(long productId, int quantity) {
    String ticket = UUID.randomUUID().toString();
    takeAhead.run(redis, List.of(RedisKeys.stock(productId), RedisKeys.stockTickets(productId)),
        List.of(ticket, Integer.toString(quantity), Long.toString(TICKET_MILLIS)));
    return ticket;
  }

  /** After a purchase: its ticket is done, and the row as read back since is copied. */
  public void settle(long productId, String ticket, int stock, long version) {
    settle.run(redis, List.of(RedisKeys.stock(productId), RedisKeys.stockVersion(productId),
            RedisKeys.stockTickets(productId)),
        List.of(Integer.toString(stock), Long.toString(version), ticket, Long.toString(TICKET_MILLIS)));
  }

  /**
   * Drops a copy that may be ahead of MySQL (a transaction that failed after writing it), but
   * only if it still holds that transaction's version: a later change may have replaced it. The
   * send loop reloads a dropped copy from MySQL.
   */
  public void forget(long productId, long writtenVersion) {
    dropIfHolds.run(redis, List.of(RedisKeys.stock(productId), RedisKeys.stockVersion(productId)),
        List.of(Long.toString(writtenVersion)));
  }
}
