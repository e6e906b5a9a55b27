package io.restock.infra;

import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run on every message: sent once and then called by its SHA, a few bytes a call
 * instead of its text. A Redis that restarted has forgotten it; it is sent again then.
 */
public final class RedisScript {
  private final String text;
  private volatile String sha;

  public RedisScript(String text) {
    this.text = text;
  }

  public Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
    try {
      return redis.evalsha(sha(redis), keys, args);
    } catch (JedisNoScriptException e) {
      sha = null;
      return redis.evalsha(sha(redis), keys, args);
    }
  }

  private String sha(UnifiedJedis redis) {
    String known = sha;
    if (known == null) {
      known = redis.scriptLoad(text);
      sha = known;
    }
    return known;
  }
}
