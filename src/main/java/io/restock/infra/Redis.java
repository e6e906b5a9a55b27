package io.restock.infra;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Builds, from REDIS_URL, the pooled Redis clients (the API's and the engine's, see PoolSizes):
 * TLS for rediss:// (trust in RedisTls), an ACL user for user:password@. Each names itself to
 * Redis, so CLIENT LIST shows whose a connection is.
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
    DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
        .database(config.redisDatabase())
        .connectionTimeoutMillis(1_000)
        .socketTimeoutMillis(2_000)
        .blockingSocketTimeoutMillis(BLOCK_MILLIS + 2_000)
        .clientName(clientName)
        // user:password@ as Jedis reads it (percent-escapes decoded); no user: the default one.
        .user(JedisURIHelper.getUser(config.redisUrl()))
        .password(JedisURIHelper.getPassword(config.redisUrl()));
    if (config.redisTls()) {
      // Without an SSL socket factory Jedis uses the JVM's default one; either way it checks that
      // the server's certificate names the host.
      client.ssl(true);
      if (!config.redisTlsCa().isEmpty()) {
        client.sslSocketFactory(RedisTls.trusting(config.redisTlsCa()));
      }
    }
    return client.build();
  }
}
