package io.restock.infra;

import java.time.Duration;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.util.Pool;

/**
 * A Redis connection that puts a command on the wire and reads its reply later. Once
 * {@link #send} returns, the command is in the kernel's hands: Redis runs it even if this process
 * is killed the next instant. Jedis's own calls wait for the reply before returning, which leaves
 * a round trip (and a thread wake-up) between "Redis has it" and whatever comes next.
 */
public final class SendAheadConnection extends Connection {
  private SendAheadConnection(HostAndPort address, JedisClientConfig config) {
    super(address, config);
  }

  /** Writes and flushes the command; the reply is left for {@link #reply()}. */
  public void send(CommandArguments command) {
    sendCommand(command);
    flush();
  }

  /** The reply to the command sent; throws if Redis refused it. */
  public Object reply() {
    return getOne();
  }

  static Pool<SendAheadConnection> pool(HostAndPort address, JedisClientConfig config, int size) {
    GenericObjectPoolConfig<SendAheadConnection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(size);
    pool.setMaxIdle(size);
    pool.setMaxWait(Duration.ofSeconds(2));
    pool.setJmxEnabled(false);
    // A connection Redis dropped (restart, idle timeout) looks fine until used, and its first
    // command "succeeds" into a dead socket: idle ones are pinged every few seconds.
    pool.setTestWhileIdle(true);
    pool.setNumTestsPerEvictionRun(-1);
    pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(5));
    return new Pool<>(pool, new BasePooledObjectFactory<>() {
      @Override
      public SendAheadConnection create() {
        return new SendAheadConnection(address, config);
      }

      @Override
      public PooledObject<SendAheadConnection> wrap(SendAheadConnection connection) {
        return new DefaultPooledObject<>(connection);
      }

      @Override
      public boolean validateObject(PooledObject<SendAheadConnection> pooled) {
        try {
          return pooled.getObject().ping();
        } catch (RuntimeException e) {
          return false;
        }
      }

      @Override
      public void destroyObject(PooledObject<SendAheadConnection> pooled) {
        try {
          pooled.getObject().disconnect();
        } catch (RuntimeException e) {
          // It flushes first, which fails on a dead socket; the socket is closed either way.
        }
      }
    });
  }
}
