package io.restock.infra;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * GET /health: 200 when MySQL and Redis both answer, 503 naming the one that does not. MySQL counts
 * as down until the schema is migrated: before that, nothing that needs it can be served.
 */
public final class Health {
  private final Database database;
  private final SchemaMigration schema;
  private final UnifiedJedis redis;

  public Health(Database database, SchemaMigration schema, UnifiedJedis redis) {
    this.database = database;
    this.schema = schema;
    this.redis = redis;
  }

  public void check(Context ctx) {
    Map<String, String> status = new LinkedHashMap<>();
    status.put("mysql", schema.migrated() && database.isUp() ? "UP" : "DOWN");
    status.put("redis", redisUp() ? "UP" : "DOWN");
    boolean up = !status.containsValue("DOWN");
    status.put("status", up ? "UP" : "DOWN");
    ctx.status(up ? 200 : 503).json(status);
  }

  private boolean redisUp() {
    try {
      return "PONG".equals(redis.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }
}
