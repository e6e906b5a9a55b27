package io.restock.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** The command line, checked: every value has a default, and a bad one fails before anything runs. */
record Options(int subscribers, int receiverDelayMs, int rate, int instances, int products,
    Integer soldOutAfter, Path jar, String heap, int redisDb, String dbName, boolean logNotifier,
    int warmup, Integer waves, Integer apiLoad, int apiLoadSeconds, int apiWarmupSeconds, boolean wire) {

  /** Thrown as the message of a parse "error" that is really a request for help. */
  static final String HELP = "help";

  static final String USAGE = """
      usage: bench/restock-bench.sh [options]
        --subscribers N        subscribers per product (default 10000)
        --receiver-delay-ms D  the receiver waits D ms before answering 200 (default 0)
        --rate R               NOTIFY_RATE_PER_SEC for the service (default 500)
        --instances K          service instances on ports 18080.. (default 1)
        --products P           products, all restocked at once (default 1)
        --sold-out-after M     buy all stock of product 1 once the receiver has M of its messages
        --jar PATH             service jar (default target/restock-notifier.jar)
        --heap MAX             -Xmx for the service JVMs, e.g. 256m
        --redis-db N           Redis database for the run, flushed first (default 15)
        --db-name NAME         MySQL database for the run, dropped first (default restock_bench)
        --notifier log         the service's log notifier instead of the webhook: measures the
                               engine's own ceiling (use a high --rate), from the rounds' times
        --warmup N             first a round of N subscribers on a product of its own, not
                               counted: measures a service that has been running (JIT warm)
        --waves K              waves sized to stock: product 1 gets stock 1,000 and the policy
                               perUnit K, 60 s apart; measures the first wave and the wait
        --api-load C           a flash-sale rush on instance 0 from the moment the trigger is
                               answered, by wrk (C >= 4 connections): C/2 buy 1 of product 1, C/4
                               read product 1, C/4 subscribe new users to a product of their own;
                               the report adds the round's figures inside the rush
        --api-load-seconds S   how long the rush lasts (default 8)
        --api-warmup S         before the trigger, the rush's mix for S seconds on a product of
                               its own, not counted: the rush meets a JIT-warm API
        --wire tcpdump         also count the webhook requests' last bytes on the loopback (tcpdump,
                               as root): the busiest second on the wire beside the receiver's
      NOTIFIER_CONCURRENCY, WORKER_THREADS and NOTIFIER_WEBHOOK_SECRET (webhooks signed; the
      report gives the signing cost per message), if set in the environment, reach the service.""";

  static Options parse(String[] args) {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("-h") || name.equals("--help")) {
        throw new IllegalArgumentException(HELP);
      }
      if (!name.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --option value, got '" + name + "'");
      }
      given.put(name.substring(2), args[++i]);
    }
    // Each option is taken out of the map as it is read: whatever is left was not understood.
    Options o = new Options(
        positive(given.remove("subscribers"), "subscribers", 10_000),
        atLeastZero(given.remove("receiver-delay-ms"), "receiver-delay-ms", 0),
        positive(given.remove("rate"), "rate", 500),
        positive(given.remove("instances"), "instances", 1),
        positive(given.remove("products"), "products", 1),
        given.containsKey("sold-out-after")
            ? positive(given.remove("sold-out-after"), "sold-out-after", 0) : null,
        Path.of(Objects.requireNonNullElse(given.remove("jar"), "target/restock-notifier.jar")),
        given.remove("heap"),
        atLeastZero(given.remove("redis-db"), "redis-db", 15),
        Objects.requireNonNullElse(given.remove("db-name"), "restock_bench"),
        notifier(given.remove("notifier")),
        atLeastZero(given.remove("warmup"), "warmup", 0),
        given.containsKey("waves") ? positive(given.remove("waves"), "waves", 0) : null,
        given.containsKey("api-load") ? positive(given.remove("api-load"), "api-load", 0) : null,
        positive(given.remove("api-load-seconds"), "api-load-seconds", 8),
        atLeastZero(given.remove("api-warmup"), "api-warmup", 0),
        wire(given.remove("wire")));
    if (!given.isEmpty()) {
      throw new IllegalArgumentException("unknown option(s): --" + String.join(", --", given.keySet()));
    }
    o.checkIsolation();
    o.checkApiLoad();
    return o;
  }

  private static boolean notifier(String value) {
    if (value == null || value.equals("webhook")) {
      return false;
    }
    if (value.equals("log")) {
      return true;
    }
    throw new IllegalArgumentException("--notifier is webhook or log, got '" + value + "'");
  }

  private static boolean wire(String value) {
    if (value == null) {
      return false;
    }
    if (value.equals("tcpdump")) {
      return true;
    }
    throw new IllegalArgumentException("--wire takes tcpdump, got '" + value + "'");
  }

  /** The run wipes its database and Redis db first, so it must never be pointed at the real ones. */
  private void checkIsolation() {
    if (!dbName.matches("[A-Za-z0-9_]{1,64}")) {
      throw new IllegalArgumentException("--db-name may hold only letters, digits and _");
    }
    if (dbName.equalsIgnoreCase("restock") || dbName.equalsIgnoreCase("mysql")
        || dbName.equalsIgnoreCase("sys") || dbName.toLowerCase(Locale.ROOT).endsWith("_schema")) {
      throw new IllegalArgumentException("--db-name " + dbName + " is not a benchmark database");
    }
    if (redisDb == 0 || redisDb > 99) {
      throw new IllegalArgumentException("--redis-db must be 1..99 (0 is the service's default)");
    }
    if (heap != null && !heap.matches("\\d+[kKmMgG]?")) {
      throw new IllegalArgumentException("--heap looks like 256m or 1g");
    }
  }

  private void checkApiLoad() {
    // A quarter of C each for reads and subscriptions: below 4, one of them would get no connection.
    if (apiLoad != null && apiLoad < 4) {
      throw new IllegalArgumentException("--api-load needs at least 4 connections");
    }
    // --waves stops after the first wave and gives product 1 a stock of 1,000 the rush would buy up.
    if (apiLoad != null && waves != null) {
      throw new IllegalArgumentException("--api-load does not combine with --waves");
    }
    if (apiWarmupSeconds > 0 && apiLoad == null) {
      throw new IllegalArgumentException("--api-warmup warms the API for --api-load C: give both");
    }
  }

  /** The rush as the run's setup line shows it; empty without one. */
  String apiLoadLabel() {
    if (apiLoad == null) {
      return "";
    }
    return ", api load " + apiLoad + " conn for " + apiLoadSeconds + " s"
        + (apiWarmupSeconds == 0 ? "" : " after " + apiWarmupSeconds + " s of API warm-up");
  }

  long totalMessages() {
    return (long) subscribers * products;
  }

  String dbUrl() {
    return "jdbc:mysql://localhost:3306/" + dbName + "?createDatabaseIfNotExist=true";
  }

  String redisUrl() {
    return "redis://localhost:6379/" + redisDb;
  }

  private static int positive(String value, String name, int fallback) {
    int n = atLeastZero(value, name, fallback);
    if (value != null && n == 0) {
      throw new IllegalArgumentException("--" + name + " must be positive");
    }
    return n;
  }

  private static int atLeastZero(String value, String name, int fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.replace("_", ""));
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number >= 0, got '" + value + "'");
    }
  }
}
