package io.restock.infra;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * Builds, from REDIS_URL, the pooled Redis clients (the API's and the engine's, see PoolSizes).
 * Each names itself to Redis, so CLIENT LIST shows whose a connection is.
 */
public final class Redis {
  /** Blocking stream reads wait this long; the socket waits a little longer than that. */
  public static final int BLOCK_MILLIS = 1_000;

  private Redis() {}

  /** A client with up to {@code connections}, opened as they are needed at once. */
  public static RedisClient connect(Config config, String clientName, int connections) {
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(connections);
    pool.setMaxIdle(connections);
    pool.setMaxWait(java.time.Duration.ofSeconds(2));
    pool.setJmxEnabled(false);
    return RedisClient.builder()
        .hostAndPort(address(config))
        .clientConfig(clientConfig(config, clientName))
        .poolConfig(pool)
        .build();
  }

  private static HostAndPort address(Config config) {
    int port = config.redisUrl().getPort() == -1 ? 6379 : config.redisUrl().getPort();
    return new HostAndPort(config.redisUrl().getHost(), port);
  }

  private static JedisClientConfig clientConfig(Config config, String clientName) {
    String userInfo = config.redisUrl().getUserInfo();
    DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
        .database(config.redisDatabase())
        .connectionTimeoutMillis(1_000)
        .socketTimeoutMillis(2_000)
        .blockingSocketTimeoutMillis(BLOCK_MILLIS + 2_000)
        .clientName(clientName);
    if (userInfo != null && userInfo.contains(":")) {
      client.password(userInfo.substring(userInfo.indexOf(':') + 1));
    }
    return client.build();
  }
}
