package io.restock.infra;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the service reads from its environment, read once at start and checked there.
 * LOG_FORMAT is the one exception: logging is set up before main runs (see LogSetup).
 */
public record Config(
    int port,
    String dbUrl,
    String dbUser,
    String dbPassword,
    URI redisUrl,
    int notifyRatePerSec,
    Optional<URI> notifierWebhookUrl,
    int notifierConcurrency,
    int workerThreads,
    Optional<BearerToken> shopToken,
    Optional<BearerToken> adminToken,
    String bindAddress,
    int attributionWindowHours) {

  /**
   * NOTIFIER_CONCURRENCY x WORKER_THREADS sending threads are started, and pools are sized from
   * them: bounded so those products stay far from wrapping an int (100000 x 100000 wraps to a
   * plausible 1410065408).
   */
  static final int MAX_SENDER_THREADS = 10_000;

  public Config {
    require(port >= 0 && port <= 65535, "PORT must be 0..65535");
    require(notifyRatePerSec > 0, "NOTIFY_RATE_PER_SEC must be positive");
    require(notifierConcurrency > 0, "NOTIFIER_CONCURRENCY must be positive");
    require(workerThreads > 0, "WORKER_THREADS must be positive");
    require(attributionWindowHours > 0, "ATTRIBUTION_WINDOW_HOURS must be positive");
    require((long) notifierConcurrency * workerThreads <= MAX_SENDER_THREADS,
        "NOTIFIER_CONCURRENCY * WORKER_THREADS (sending threads) must be at most " + MAX_SENDER_THREADS);
    require("redis".equals(redisUrl.getScheme()) && redisUrl.getHost() != null,
        "REDIS_URL must look like redis://host:port or redis://host:port/N");
    require(redisUrl.getPath() == null || redisUrl.getPath().matches("(/\\d{0,2})?"),
        "REDIS_URL may end only in /N, a database number");
    require(shopToken.isEmpty() || adminToken.isEmpty() || !shopToken.get().sameAs(adminToken.get()),
        "SHOP_TOKEN and ADMIN_TOKEN must differ: the shop's token would open the admin routes");
    require(eitherSet(shopToken, adminToken) || isLoopback(bindAddress), "BIND_ADDRESS " + bindAddress
        + " is not a loopback address and neither SHOP_TOKEN nor ADMIN_TOKEN is set: without a"
        + " token the service listens on loopback only (set a token, or leave BIND_ADDRESS unset)");
  }

  public static Config fromEnv(Map<String, String> env) {
    Optional<BearerToken> shopToken = token(env, "SHOP_TOKEN");
    Optional<BearerToken> adminToken = token(env, "ADMIN_TOKEN");
    // Secure by default: with no token anyone who reaches the port may write, so only this machine.
    String anyInterfaceUnlessNoToken = eitherSet(shopToken, adminToken) ? "0.0.0.0" : "127.0.0.1";
    return new Config(
        integer(env, "PORT", 8080),
        env.getOrDefault("DB_URL", "jdbc:mysql://localhost:3306/restock?createDatabaseIfNotExist=true"),
        env.getOrDefault("DB_USER", "root"),
        env.getOrDefault("DB_PASSWORD", ""),
        uri(env, "REDIS_URL", "redis://localhost:6379"),
        integer(env, "NOTIFY_RATE_PER_SEC", 500),
        Optional.ofNullable(blankToNull(env.get("NOTIFIER_WEBHOOK_URL"))).map(URI::create),
        integer(env, "NOTIFIER_CONCURRENCY", 64),
        integer(env, "WORKER_THREADS", 4),
        shopToken,
        adminToken,
        Optional.ofNullable(blankToNull(env.get("BIND_ADDRESS"))).orElse(anyInterfaceUnlessNoToken),
        integer(env, "ATTRIBUTION_WINDOW_HOURS", 72));
  }

  /** Redis database number: the path of REDIS_URL, as in redis://host:6379/2. */
  public int redisDatabase() {
    String path = redisUrl.getPath();
    return path == null || path.length() < 2 ? 0 : Integer.parseInt(path.substring(1));
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
    }
  }

  private static URI uri(Map<String, String> env, String name, String fallback) {
    String value = Optional.ofNullable(blankToNull(env.get(name))).orElse(fallback);
    try {
      return URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " is not a valid URL: '" + value + "'");
    }
  }

  private static Optional<BearerToken> token(Map<String, String> env, String name) {
    return Optional.ofNullable(blankToNull(env.get(name))).map(value -> BearerToken.of(name, value));
  }

  private static boolean eitherSet(Optional<BearerToken> shopToken, Optional<BearerToken> adminToken) {
    return shopToken.isPresent() || adminToken.isPresent();
  }

  private static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("BIND_ADDRESS is neither an IP address nor a host name that resolves: " + address);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
