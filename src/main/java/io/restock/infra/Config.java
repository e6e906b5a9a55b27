package io.restock.infra;

import io.restock.delivery.MessageTemplate;
import io.restock.delivery.WebhookSigner;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
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
    // REDIS_TLS_CA_FILE's certificates; empty: the JVM's default trust store (see RedisTls).
    List<X509Certificate> redisTlsCa,
    int notifyRatePerSec,
    Optional<URI> notifierWebhookUrl,
    // Signs with NOTIFIER_WEBHOOK_SECRET's secrets; empty: requests go unsigned.
    Optional<WebhookSigner> notifierWebhookSigner,
    MessageTemplate notifierMessageTemplate,
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
    require(("redis".equals(redisUrl.getScheme()) || "rediss".equals(redisUrl.getScheme()))
            && redisUrl.getHost() != null,
        "REDIS_URL must look like redis://host:port/N, rediss://host:port/N (TLS) or"
            + " redis://user:password@host:port/N (in a password, write @ : / as %40 %3A %2F)");
    // A user name alone would be taken for a password by some clients and for a user by others.
    require(redisUrl.getUserInfo() == null || redisUrl.getUserInfo().contains(":"),
        "REDIS_URL names a user but no password: write redis://user:password@host, or"
            + " redis://:password@host for the default user");
    require(redisTlsCa.isEmpty() || "rediss".equals(redisUrl.getScheme()),
        "REDIS_TLS_CA_FILE is set but REDIS_URL is not rediss://: the connection would not use TLS");
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
        optional(env, "REDIS_TLS_CA_FILE").map(file -> RedisTls.readCaFile(Path.of(file)))
            .orElse(List.of()),
        integer(env, "NOTIFY_RATE_PER_SEC", 500),
        optional(env, "NOTIFIER_WEBHOOK_URL").map(URI::create),
        optional(env, "NOTIFIER_WEBHOOK_SECRET").map(WebhookSigner::parse),
        MessageTemplate.parse(optional(env, "NOTIFIER_MESSAGE_TEMPLATE").orElse(MessageTemplate.DEFAULT)),
        integer(env, "NOTIFIER_CONCURRENCY", 64),
        integer(env, "WORKER_THREADS", 4),
        shopToken,
        adminToken,
        optional(env, "BIND_ADDRESS").orElse(anyInterfaceUnlessNoToken),
        integer(env, "ATTRIBUTION_WINDOW_HOURS", 72));
  }

  /** REDIS_URL is rediss://: the connection uses TLS. */
  public boolean redisTls() {
    return "rediss".equals(redisUrl.getScheme());
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
    String value = optional(env, name).orElse(fallback);
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      // The reason and where, not the value: a URL may carry a password.
      throw new IllegalArgumentException(name + " is not a valid URL: " + e.getReason()
          + " at index " + e.getIndex());
    }
  }

  private static Optional<BearerToken> token(Map<String, String> env, String name) {
    return optional(env, name).map(value -> BearerToken.of(name, value));
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

  /** The variable, unless it is unset or blank. */
  private static Optional<String> optional(Map<String, String> env, String name) {
    return Optional.ofNullable(blankToNull(env.get(name)));
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
