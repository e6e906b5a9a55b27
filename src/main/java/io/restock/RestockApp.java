package io.restock;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.restock.delivery.LogNotifier;
import io.restock.delivery.Notifier;
import io.restock.delivery.WebhookNotifier;
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
import io.restock.infra.Redis;
import io.restock.jobs.RestockJobs;
import io.restock.product.ProductRoutes;
import io.restock.product.StockChanges;
import io.restock.product.StockMirror;
import io.restock.round.CursorStore;
import io.restock.round.NotificationRoutes;
import io.restock.round.RestockTrigger;
import io.restock.round.RoundMetrics;
import io.restock.subscription.SubscriptionRoutes;
import io.restock.subscription.Subscriptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/** The whole service, built by hand from its configuration; tests start it on port 0. */
public final class RestockApp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RestockApp.class);
  /** Larger bodies are refused with 413 before they are read. */
  static final long MAX_BODY_BYTES = 64 * 1024;

  private final Metrics metrics;
  private final Database database;
  private final CompletableFuture<Void> schemaReady;
  private final RedisClient redis;
  private final Notifier notifier;
  private final HistoryWriter history;
  private final RestockWorkers workers;
  private final RecoverySweep sweep;
  private final Javalin http;
  private final List<String> routes = new ArrayList<>();

  public RestockApp(Config config) {
    // Start-up is mostly class loading: the clients, the JSON mapper and the schema migration
    // are built on threads of their own while this one builds the metrics and the pool.
    ExecutorService startup = Executors.newFixedThreadPool(3);
    CompletableFuture<RedisClient> redisClient =
        CompletableFuture.supplyAsync(() -> Redis.connect(config), startup);
    CompletableFuture<ObjectMapper> jsonMapper = CompletableFuture.supplyAsync(Json::mapper, startup);
    metrics = new Metrics();
    database = new Database(config, metrics.registry());
    schemaReady = CompletableFuture.runAsync(database::migrate, startup);
    startup.shutdown();
    redis = redisClient.join();
    ObjectMapper json = jsonMapper.join();

    // One clock for every time the engine writes or measures: UTC, and replaceable in a test.
    Clock clock = Clock.systemUTC();
    StockMirror stockMirror = new StockMirror(redis);
    StockChanges stock = new StockChanges(database.jdbi(), stockMirror);
    Subscriptions subscriptions = new Subscriptions(database.jdbi());
    RestockJobs jobs = new RestockJobs(redis);
    RoundMetrics roundMetrics = new RoundMetrics(metrics.registry(), jobs, config.notifyRatePerSec());
    RoundLeases leases = new RoundLeases(redis);
    CursorStore cursors = new CursorStore(redis);
    GlobalRateLimiter limiter = new GlobalRateLimiter(redis, config.notifyRatePerSec());
    int senderThreads = config.notifierConcurrency() * config.workerThreads();
    SentLog sentLog = new SentLog(redis);
    DepartureGate gate = new DepartureGate(limiter, sentLog);
    notifier = config.notifierWebhookUrl()
        .<Notifier>map(url -> new WebhookNotifier(url, senderThreads, gate))
        .orElseGet(LogNotifier::new);
    history = new HistoryWriter(database.jdbi(), redis, cursors, sentLog, clock);
    RoundHandOver handOver = new RoundHandOver(database.jdbi(), sentLog, cursors, roundMetrics);
    RoundSender sender = new RoundSender(database.jdbi(), limiter, notifier, history, cursors,
        stockMirror, handOver, roundMetrics, config.notifierConcurrency(), clock);
    workers = new RestockWorkers(database.jdbi(), jobs, leases, sender, config.workerThreads());
    sweep = new RecoverySweep(database.jdbi(), jobs, leases);

    ProductRoutes products = new ProductRoutes(database.jdbi(), stock, json);
    SubscriptionRoutes subscribers = new SubscriptionRoutes(subscriptions, json);
    NotificationRoutes notifications = new NotificationRoutes(
        database.jdbi(), new RestockTrigger(stock, jobs, roundMetrics), cursors, json, clock);
    Health health = new Health(database, redis);
    byte[] openApi = readOpenApi();

    http = Javalin.create(javalin -> {
      javalin.showJavalinBanner = false;
      javalin.http.maxRequestSize = MAX_BODY_BYTES;
      javalin.http.prefer405over404 = true;
      javalin.jsonMapper(new JavalinJackson(json, false));
      javalin.events(events -> events.handlerAdded(route -> {
        if (route.getHttpMethod().isHttpMethod()) {
          routes.add(route.getHttpMethod() + " " + route.getPath());
        }
      }));
      javalin.router.apiBuilder(() -> {
        get("/health", health::check);
        get("/metrics", metrics::scrape);
        get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        path("/products", () -> {
          post(products::create);
          path("{productId}", () -> {
            get(products::get);
            put("stock", products::setStock);
            post("purchases", products::purchase);
            put("subscriptions/{userId}", subscribers::subscribe);
            delete("subscriptions/{userId}", subscribers::unsubscribe);
            post("notifications/re-stock", notifications::restock);
            get("notifications", notifications::rounds);
            get("notifications/{round}/users", notifications::users);
            get("notifications/{round}/rejections", notifications::rejections);
          });
        });
        path("/admin/products/{productId}", () -> {
          post("subscriptions", subscribers::subscribeRange);
          post("notifications/re-stock", notifications::resend);
        });
      });
    });
    HttpErrors.register(http);
    // Jetty starts while the schema may still be migrating; a request that early waits for it.
    http.before(ctx -> awaitSchema());
  }

  public RestockApp start(int port) {
    http.start(port);
    awaitSchema();
    history.start();
    workers.start();
    sweep.start();
    CompletableFuture.runAsync(metrics::bindJvmMetrics);
    CompletableFuture.runAsync(() -> EvictionPolicyCheck.warnUnlessNoEviction(redis));
    if (notifier instanceof WebhookNotifier webhook) {
      CompletableFuture.runAsync(webhook::warmUp);
    }
    log.info("Restock notifier listening on port {} (consumer {}), {} ms after the JVM started",
        http.port(), workers.consumerName(), ManagementFactory.getRuntimeMXBean().getUptime());
    return this;
  }

  /** Every route as "METHOD /path", for the check that the OpenAPI document lists them all. */
  public List<String> routes() {
    return List.copyOf(routes);
  }

  private static byte[] readOpenApi() {
    try (InputStream in = RestockApp.class.getResourceAsStream("/openapi.json")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitSchema() {
    try {
      schemaReady.join();
    } catch (CompletionException e) {
      throw new IllegalStateException("Could not migrate the database schema", e.getCause());
    }
  }

  public int port() {
    return http.port();
  }

  /** Graceful stop: no new requests, rounds in flight synced and handed back, then connections. */
  @Override
  public void close() throws InterruptedException {
    http.stop();
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
    redis.close();
    database.close();
    metrics.close();
  }
}
