package io.restock.infra;

import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.ConnectionException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** Tells failures of MySQL or Redis being unreachable apart from bugs, so they answer 503. */
public final class DependencyDown {
  private DependencyDown() {}

  /** What is down, for a person, or null when the error is not an outage. */
  public static String describe(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof JedisConnectionException) {
        return "Redis is not reachable; try again shortly";
      }
      if (t instanceof ConnectionException || t instanceof SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException
          || t instanceof com.mysql.cj.jdbc.exceptions.CommunicationsException) {
        return "MySQL is not reachable; try again shortly";
      }
    }
    return null;
  }
}
