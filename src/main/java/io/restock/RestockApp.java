package io.restock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.restock.access.Access;
import io.restock.access.Role;
import io.restock.delivery.LogNotifier;
import io.restock.delivery.Notifier;
import io.restock.delivery.WebhookNotifier;
import io.restock.delivery.WebhookRequests;
import io.restock.dispatch.DepartureGate;
import io.restock.dispatch.GlobalRateLimiter;
import io.restock.dispatch.HistoryWriter;
import io.restock.dispatch.RecoverySweep;
import io.restock.dispatch.RestockWorkers;
import io.restock.dispatch.RoundHandOver;
import io.restock.dispatch.RoundLeases;
import io.restock.dispatch.RoundSender;
import io.restock.dispatch.SentLog;
import io.restock.infra.Config;
import io.restock.infra.Database;
import io.restock.infra.EvictionPolicyCheck;
import io.restock.infra.Health;
import io.restock.infra.HttpErrors;
import io.restock.infra.Json;
import io.restock.infra.Metrics;
import io.restock.infra.PoolSizes;
import io.restock.infra.Redis;
import io.restock.infra.SchemaMigration;
import io.restock.jobs.RestockJobs;
import io.restock.product.PolicyRoutes;
import io.restock.product.ProductRoutes;
import io.restock.product.StockChanges;
import io.restock.product.StockMirror;
import io.restock.round.CursorStore;
import io.restock.round.NotificationRoutes;
import io.restock.round.RestockTrigger;
import io.restock.round.RoundStockEffects;
import io.restock.round.RoundMetrics;
import io.restock.subscription.SubscriptionRoutes;
import io.restock.subscription.Subscriptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/** The whole service, built by hand from its configuration; tests start it on port 0. */
public final class RestockApp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RestockApp.class);
  /** Larger bodies are refused with 413 before they are read. */
  static final long MAX_BODY_BYTES = 64 * 1024;
  /** A request that needs the tables waits this long for the schema, then answers 503. */
  private static final Duration SCHEMA_PATIENCE = Duration.ofSeconds(3);

  private final Metrics metrics;
  /** The API's and the engine's pools, sized in PoolSizes. */
  private final Database apiDatabase;
  private final Database engineDatabase;
  private final SchemaMigration schema;
  private final CompletableFuture<Void> engineStarted = new CompletableFuture<>();
  private boolean closed;
  private final RedisClient apiRedis;
  private final RedisClient engineRedis;
  private final Notifier notifier;
  private final HistoryWriter history;
  private final RestockWorkers workers;
  private final RecoverySweep sweep;
  private final Javalin http;
  private final Map<String, Role> routes = new LinkedHashMap<>();
  private final Access access;
  private final String bindAddress;

  public RestockApp(Config config) {
    PoolSizes pools = PoolSizes.of(config);
    // Start-up is mostly class loading: the clients, the JSON mapper and the schema migration
    // are built on threads of their own while this one builds the metrics and the pools.
    ExecutorService startup = Executors.newFixedThreadPool(3);
    CompletableFuture<RedisClient> apiRedisClient = CompletableFuture.supplyAsync(
        () -> Redis.connect(config, "restock-api", pools.apiRedis()), startup);
    CompletableFuture<RedisClient> engineRedisClient = CompletableFuture.supplyAsync(
        () -> Redis.connect(config, "restock-engine", pools.engineRedis()), startup);
    CompletableFuture<ObjectMapper> jsonMapper = CompletableFuture.supplyAsync(Json::mapper, startup);
    metrics = new Metrics();
    engineDatabase =
        new Database(config, metrics.registry(), "restock-engine-db", pools.engineMySql());
    schema = new SchemaMigration(engineDatabase);
    apiDatabase = new Database(config, metrics.registry(), "restock-api-db", pools.apiMySql());
    startup.shutdown();
    apiRedis = apiRedisClient.join();
    engineRedis = engineRedisClient.join();
    ObjectMapper json = jsonMapper.join();

    // One clock for every time the engine writes or measures: UTC, and replaceable in a test.
    Clock clock = Clock.systemUTC();
    // Both sides count into it; its backlog gauges are read by /metrics, a request.
    RestockJobs apiJobs = new RestockJobs(apiRedis);
    RoundMetrics roundMetrics =
        new RoundMetrics(metrics.registry(), apiJobs, config.notifyRatePerSec());

    // The engine: consumers, sender threads, history writer and sweep, on the engine's pools.
    RestockJobs engineJobs = new RestockJobs(engineRedis);
    RoundLeases leases = new RoundLeases(engineRedis);
    CursorStore engineCursors = new CursorStore(engineRedis);
    GlobalRateLimiter limiter = new GlobalRateLimiter(engineRedis, config.notifyRatePerSec());
    SentLog sentLog = new SentLog(engineRedis);
    DepartureGate gate = new DepartureGate(engineRedis, sentLog, config.notifyRatePerSec());
    notifier = config.notifierWebhookUrl()
        .<Notifier>map(url -> new WebhookNotifier(url, pools.senderThreads(), gate,
            new WebhookRequests(config.notifierMessageTemplate(), config.notifierWebhookSigner(),
                clock, metrics.registry())))
        .orElseGet(LogNotifier::new);
    Jdbi engineJdbi = engineDatabase.jdbi();
    history = new HistoryWriter(engineJdbi, engineRedis, engineCursors, sentLog, clock);
    RoundHandOver handOver = new RoundHandOver(engineJdbi, sentLog, engineCursors, roundMetrics, clock);
    RoundSender sender = new RoundSender(engineJdbi, limiter, notifier, history, engineCursors,
        new StockMirror(engineRedis), handOver, roundMetrics, config.notifierConcurrency(), clock);
    workers = new RestockWorkers(engineJdbi, engineJobs, leases, sender, config.workerThreads());
    sweep = new RecoverySweep(engineJdbi, engineJobs, leases, clock);

    // The API, on its own pools: requests stuck on a row lock hold none of the engine's.
    Jdbi apiJdbi = apiDatabase.jdbi();
    StockChanges stock = new StockChanges(apiJdbi, new StockMirror(apiRedis),
        new RoundStockEffects(roundMetrics, clock, config.attributionWindowHours()));
    ProductRoutes products = new ProductRoutes(apiJdbi, stock, json);
    PolicyRoutes policies = new PolicyRoutes(apiJdbi, json);
    SubscriptionRoutes subscribers = new SubscriptionRoutes(new Subscriptions(apiJdbi), json);
    NotificationRoutes notifications = new NotificationRoutes(apiJdbi,
        new RestockTrigger(stock, apiJobs, roundMetrics), new CursorStore(apiRedis), json, clock);
    Health health = new Health(apiDatabase, schema, apiRedis);
    byte[] openApi = readOpenApi();
    access = new Access(config.shopToken(), config.adminToken());
    bindAddress = config.bindAddress();

    http = Javalin.create(javalin -> {
      javalin.showJavalinBanner = false;
      QueuedThreadPool jettyThreads = new QueuedThreadPool(pools.httpThreads(), 8, 60_000);
      jettyThreads.setName("JettyServerThreadPool");
      // The lowest (nice 4 with restock.jvmopts): a sale's requests get the CPU the engine leaves.
      jettyThreads.setThreadsPriority(Thread.MIN_PRIORITY);
      javalin.jetty.threadPool = jettyThreads;
      javalin.http.maxRequestSize = MAX_BODY_BYTES;
      javalin.http.prefer405over404 = true;
      javalin.jsonMapper(new JavalinJackson(json, false));
      javalin.events(events -> events.handlerAdded(route -> {
        if (route.getHttpMethod().isHttpMethod()) {
          String name = route.getHttpMethod() + " " + route.getPath();
          routes.put(name, Role.declaredBy(name, route.getRoles()));
        }
      }));
      javalin.router.apiBuilder(
          new ApiRoutes(health, metrics, openApi, products, policies, subscribers, notifications)
              ::declare);
    });
    HttpErrors.register(http);
    // First of the before-matched handlers, which run in the order added: a request without the
    // token its route needs is refused before it waits for the schema or reads its body.
    http.beforeMatched(access::check);
    // Jetty starts while the schema may still be migrating (or MySQL is not there yet): a request
    // that needs the tables waits a little for it, then gets a 503. /health, /metrics and
    // /openapi.json answer meanwhile.
    for (String tables : List.of("/products", "/products/*", "/admin/*")) {
      http.beforeMatched(tables, ctx -> schema.await(SCHEMA_PATIENCE));
    }
  }

  /**
   * Starts serving at once; the consumers, the history writer and the sweep start once the schema
   * is migrated, however long MySQL takes to answer (see {@link #engineStarted()}).
   */
  public RestockApp start(int port) {
    http.start(bindAddress, port);
    schema.done().whenComplete((migrated, failure) -> {
      if (failure != null) {
        engineStarted.completeExceptionally(failure);
      } else {
        startEngine();
        engineStarted.complete(null);
      }
    });
    CompletableFuture.runAsync(metrics::bindJvmMetrics);
    CompletableFuture.runAsync(() -> EvictionPolicyCheck.warnUnlessNoEviction(engineRedis));
    if (notifier instanceof WebhookNotifier webhook) {
      CompletableFuture.runAsync(webhook::warmUp);
    }
    log.info("Restock notifier listening on {} port {} (consumer {}), {} ms after the JVM started",
        bindAddress, http.port(), workers.consumerName(),
        ManagementFactory.getRuntimeMXBean().getUptime());
    log.info(access.describe(bindAddress));
    return this;
  }

  private synchronized void startEngine() {
    if (closed) {
      return; // stopped while it waited for MySQL
    }
    history.start();
    workers.start();
    sweep.start();
    log.info("Schema ready: consumers, history writer and recovery sweep started");
  }

  /**
   * Completes when the schema is migrated and sending has started; fails if the schema cannot be
   * migrated (an error other than MySQL being unreachable), which nothing will cure by waiting.
   */
  public CompletableFuture<Void> engineStarted() {
    return engineStarted;
  }

  /**
   * Every route as "METHOD /path", with the role it declares: for the checks that the OpenAPI
   * document lists them all with their roles, and that the access tests cover each one.
   */
  public Map<String, Role> routes() {
    return Map.copyOf(routes);
  }

  private static byte[] readOpenApi() {
    try (InputStream in = RestockApp.class.getResourceAsStream("/openapi.json")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return http.port();
  }

  /** Graceful stop: no new requests, rounds in flight synced and handed back, then connections. */
  @Override
  public void close() throws InterruptedException {
    synchronized (this) {
      closed = true; // from here on the engine does not start
    }
    http.stop();
    schema.close();
    sweep.close();
    workers.close();
    // Sends still under way (only if a round outlived the workers' wait) finish before the
    // history writer drains its last batch.
    if (notifier instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        log.warn("Notifier did not close cleanly", e);
      }
    }
    history.close();
    apiRedis.close();
    engineRedis.close();
    apiDatabase.close();
    engineDatabase.close();
    metrics.close();
  }
}
