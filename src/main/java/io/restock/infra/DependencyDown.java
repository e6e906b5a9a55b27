package io.restock.infra;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.Map;
import java.util.NoSuchElementException;
import org.jdbi.v3.core.ConnectionException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Sorts failures by what the caller can do about them: MySQL or Redis cannot serve this now, but
 * will (unreachable, busy, out of memory, failing over, loading, a lock taken) — so the API
 * answers 503 and a round pauses and carries on — or anything else, a bug, which is given up.
 * Whatever is not recognised here is a bug, so each kind is named rather than guessed at.
 */
public final class DependencyDown {
  private static final String REDIS_UNREACHABLE = "Redis is not reachable; try again shortly";
  private static final String MYSQL_UNREACHABLE = "MySQL is not reachable; try again shortly";
  private static final String MYSQL_LOCKED =
      "MySQL is busy with a conflicting change to the same data; try again shortly";
  /** MySQL error codes of a transaction that lost a lock: worth running again as it was. */
  private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
  private static final int ER_LOCK_DEADLOCK = 1213;
  /** SQLState of a transaction rolled back for a conflict (deadlock, serialization failure). */
  private static final String SERIALIZATION_FAILURE = "40001";

  /**
   * Redis error replies that mean "not now", by the code they start with, and what a person is
   * told. In a script Redis 7 keeps the code at the front ("OOM command not allowed ... script:").
   */
  private static final Map<String, String> REDIS_NOT_NOW = Map.of(
      "LOADING", "Redis is loading its data after a restart; try again shortly",
      "READONLY", "Redis is a read-only replica just now (a failover?); try again shortly",
      "OOM", "Redis is out of memory and refuses writes; try again later",
      "BUSY", "Redis is busy running a script; try again shortly",
      "MASTERDOWN", "Redis has lost its link to its primary; try again shortly",
      "TRYAGAIN", "The Redis cluster is moving data between nodes; try again shortly",
      "CLUSTERDOWN", "The Redis cluster is down; try again shortly",
      "NOREPLICAS", "Redis has too few replicas in sync to take writes; try again shortly",
      "MISCONF", "Redis cannot save to disk and refuses writes; try again later");

  private DependencyDown() {}

  /**
   * What keeps MySQL or Redis from serving this now, for a person (never the exception's own
   * text), or null when the error is not of that kind and retrying would not help.
   */
  public static String describe(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String reason = reason(t);
      if (reason != null) {
        return reason;
      }
    }
    return null;
  }

  private static String reason(Throwable t) {
    if (t instanceof JedisConnectionException) {
      return REDIS_UNREACHABLE;
    }
    if (t instanceof JedisDataException) {
      return redisReply(String.valueOf(t.getMessage()));
    }
    if (t instanceof JedisException && t.getCause() instanceof NoSuchElementException) {
      // Jedis's "Could not get a resource from the pool": every connection busy for maxWait.
      return "Redis has no free connection just now; try again shortly";
    }
    if (t instanceof ConnectionException) {
      return MYSQL_UNREACHABLE;
    }
    return t instanceof SQLException sql ? mysql(sql) : null;
  }

  private static String redisReply(String message) {
    int end = message.indexOf(' ');
    return REDIS_NOT_NOW.get(end < 0 ? message : message.substring(0, end));
  }

  private static String mysql(SQLException e) {
    if (e instanceof SQLTransactionRollbackException || e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT
        || e.getErrorCode() == ER_LOCK_DEADLOCK || SERIALIZATION_FAILURE.equals(e.getSQLState())) {
      return MYSQL_LOCKED;
    }
    // Connection lost or refused (the driver's CommunicationsException is a recoverable one),
    // the pool's wait for a connection timed out, a query timed out.
    if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
        || e instanceof SQLRecoverableException) {
      return MYSQL_UNREACHABLE;
    }
    return e instanceof SQLTransientException
        ? "MySQL could not do this just now; try again shortly" : null;
  }
}
