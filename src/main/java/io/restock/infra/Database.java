package io.restock.infra;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * The MySQL side: a Hikari pool, the schema migrated by Flyway, and Jdbi on top. The API and the
 * engine have one each (see PoolSizes).
 */
public final class Database implements AutoCloseable {
  private static final DateTimeFormatter SQL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private final HikariDataSource dataSource;
  private final Jdbi jdbi;

  /** How long MySQL keeps the session (and the locks) of a process that stopped talking. */
  static final int FROZEN_SESSION_SECONDS = 60;

  /** A pool of {@code connections} named {@code poolName} (its metrics carry the name). */
  public Database(Config config, MeterRegistry metrics, String poolName, int connections) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName(poolName);
    hikari.setJdbcUrl(config.dbUrl());
    hikari.setUsername(config.dbUser());
    hikari.setPassword(config.dbPassword());
    // Sized by PoolSizes; nobody holds a connection while waiting for the rate limiter.
    hikari.setMaximumPoolSize(connections);
    hikari.setConnectionTimeout(3_000);
    hikari.setValidationTimeout(1_000);
    hikari.setInitializationFailTimeout(-1);
    // A process frozen mid-transaction (a long GC pause, a suspended VM) keeps its row locks for
    // as long as MySQL keeps its session: another instance taking its round over would wait on
    // them for ever. MySQL drops a session idle this long, and its transaction with it; idle
    // pooled connections are pinged well within it, so only a frozen one is ever dropped.
    hikari.setConnectionInitSql("SET SESSION wait_timeout = " + FROZEN_SESSION_SECONDS);
    hikari.setKeepaliveTime(TimeUnit.SECONDS.toMillis(30));
    hikari.setMetricRegistry(metrics);
    hikari.addDataSourceProperty("rewriteBatchedStatements", "true");
    hikari.addDataSourceProperty("cachePrepStmts", "true");
    hikari.addDataSourceProperty("useServerPrepStmts", "false");
    hikari.addDataSourceProperty("connectionTimeZone", "UTC");
    hikari.addDataSourceProperty("forceConnectionTimeZoneToSession", "true");
    this.dataSource = new HikariDataSource(hikari);
    this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
    // MariaDB introduces itself as "5.5.5-10.x", and mysql-connector-j then drops the fraction of
    // every LocalDateTime it binds. Send times as text with all six digits, which both servers
    // read exactly, so keyset positions (created_at, id) round-trip.
    jdbi.registerArgument(new AbstractArgumentFactory<LocalDateTime>(Types.VARCHAR) {
      @Override
      protected Argument build(LocalDateTime value, ConfigRegistry config) {
        return (position, statement, context) -> statement.setString(position, SQL_TIME.format(value));
      }
    });
  }

  /**
   * Creates or upgrades the schema (db/migration). Separate from the constructor so start-up can
   * run it while the rest of the service is being built.
   */
  public void migrate() {
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public boolean isUp() {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(1);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
