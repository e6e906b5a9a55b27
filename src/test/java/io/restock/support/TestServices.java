package io.restock.support;

import io.restock.infra.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MySQLContainer;
import redis.clients.jedis.RedisClient;

/**
 * Where the tests find MySQL and Redis: the local servers (MariaDB and Redis on loopback), or,
 * where a Docker engine runs, a MySQL 8 and a Redis 7 container started once for the whole run.
 * Tests use their own database and Redis database number and never touch the service's defaults.
 */
public final class TestServices {
  /** Overridable so that several checkouts on one machine can run their suites side by side. */
  private static final String DATABASE = System.getProperty("restock.test.database", "restock_test");
  private static final int REDIS_DB = Integer.getInteger("restock.test.redisDb", 9);
  private static final String[] TABLES = {
    "product_user_notification_history", "product_user_notification_rejection",
    "product_round_conversion",
    "product_notification_history",
    "product_user_notification", "product"};

  private static final TestServices INSTANCE = start();

  private final String mysqlHostPort;
  private final String dbUser;
  private final String dbPassword;
  private final String redisHostPort;

  private TestServices(String mysqlHostPort, String dbUser, String dbPassword, String redisHostPort) {
    this.mysqlHostPort = mysqlHostPort;
    this.dbUser = dbUser;
    this.dbPassword = dbPassword;
    this.redisHostPort = redisHostPort;
  }

  public static TestServices get() {
    return INSTANCE;
  }

  private static TestServices start() {
    if (Boolean.getBoolean("restock.useLocalServices") || !dockerAvailable()) {
      return new TestServices("127.0.0.1:3306", "root", "", "127.0.0.1:6379");
    }
    MySQLContainer<?> mysql = new MySQLContainer<>("mysql:8.4");
    mysql.start();
    GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
    redis.start();
    return new TestServices(
        mysql.getHost() + ":" + mysql.getMappedPort(3306), "root",
        mysql.getPassword(), redis.getHost() + ":" + redis.getMappedPort(6379));
  }

  private static boolean dockerAvailable() {
    if (System.getenv("DOCKER_HOST") == null && !java.nio.file.Files.exists(
        java.nio.file.Path.of("/var/run/docker.sock"))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  public String jdbcUrl() {
    return jdbcUrl(mysqlHostPort, DATABASE);
  }

  /** The test database's URL as if its server listened at {@code hostPort}. */
  public String jdbcUrlAt(String hostPort) {
    return jdbcUrl(hostPort, DATABASE);
  }

  /** Another database on the test server, named after the test database with {@code suffix}. */
  public String siblingDatabase(String suffix) {
    return DATABASE + "_" + suffix;
  }

  /** The URL of {@code database} on the test server. */
  public String jdbcUrlOf(String database) {
    return jdbcUrl(mysqlHostPort, database);
  }

  private static String jdbcUrl(String hostPort, String database) {
    return "jdbc:mysql://" + hostPort + "/" + database + "?createDatabaseIfNotExist=true";
  }

  public String redisUrl() {
    return redisUrlAt(redisHostPort);
  }

  /** The test Redis database's URL as if its server listened at {@code hostPort}. */
  public String redisUrlAt(String hostPort) {
    return "redis://" + hostPort + "/" + REDIS_DB;
  }

  /** Where MySQL listens, as host:port. */
  public String mysqlAddress() {
    return mysqlHostPort;
  }

  /** Where Redis listens, as host:port. */
  public String redisAddress() {
    return redisHostPort;
  }

  /** The service's configuration for tests, with {@code overrides} on top. */
  public Config config(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("DB_URL", jdbcUrl());
    env.put("DB_USER", dbUser);
    env.put("DB_PASSWORD", dbPassword);
    env.put("REDIS_URL", redisUrl());
    env.putAll(overrides);
    return Config.fromEnv(env);
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), dbUser, dbPassword);
  }

  public RedisClient redis() {
    String[] hostPort = redisHostPort.split(":");
    return RedisClient.builder()
        .hostAndPort(hostPort[0], Integer.parseInt(hostPort[1]))
        .clientConfig(redis.clients.jedis.DefaultJedisClientConfig.builder().database(REDIS_DB).build())
        .build();
  }

  /** Empties every table and the Redis database: each test starts from nothing. */
  public void clean() {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("SET FOREIGN_KEY_CHECKS = 0");
      for (String table : TABLES) {
        if (tableExists(c, table)) {
          s.execute("TRUNCATE TABLE " + table);
        }
      }
      s.execute("SET FOREIGN_KEY_CHECKS = 1");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    try (RedisClient redis = redis()) {
      redis.flushDB();
    }
  }

  private static boolean tableExists(Connection c, String table) throws SQLException {
    try (var rs = c.getMetaData().getTables(DATABASE, null, table, null)) {
      return rs.next();
    }
  }
}
