package io.restock.round;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.restock.infra.ApiError;
import io.restock.infra.Json;
import io.restock.infra.Requests;
import io.restock.product.ProductDao;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** HTTP for triggering and resending rounds, and for reading them back. */
public final class NotificationRoutes {
  private static final Logger log = LoggerFactory.getLogger(NotificationRoutes.class);
  private static final int MAX_ROUNDS_LISTED = 100;
  private static final int DEFAULT_USERS_PAGE = 100;
  private static final int MAX_USERS_PAGE = 1_000;

  record Restock(Integer quantity) {}

  /**
   * A round as the API shows it. Unconfirmed: messages counted as told whose answer was lost with
   * a crashed instance (see the users page for who). nextWaveAt: set while the round waits
   * between waves (SPEC rule 9). conversionRate: conversions / notifiedCount, null before anyone
   * was told (SPEC rule 10).
   */
  record RoundView(int restockRound, RoundStatus status, Long lastNotifiedUserId, int notifiedCount,
      int unconfirmedCount, int rejectedCount, int totalSubscribers, Long estimatedSecondsLeft,
      Instant startedAt, Instant resumedAt, Instant finishedAt, int wavesSent,
      Instant nextWaveAt, int conversions, long unitsSold, Double conversionRate) {}

  /** A page of a round's users in send order; those of them whose message is unconfirmed too. */
  record UsersPage(List<Long> userIds, List<Long> unconfirmedUserIds, String next) {}

  /** A recipient the provider refused for good, with the status it answered. */
  record Rejection(long userId, int providerStatus) {}

  record RejectionsPage(List<Rejection> rejections, String next) {}

  /** Which page of a round's list a request asks for: after a key, this many. */
  private record PageAsked(long productId, int round, long after, int limit) {}

  private final Jdbi jdbi;
  private final RestockTrigger trigger;
  private final CursorStore cursors;
  private final ObjectMapper json;
  private final Clock clock;

  public NotificationRoutes(Jdbi jdbi, RestockTrigger trigger, CursorStore cursors, ObjectMapper json,
      Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.trigger = trigger;
    this.cursors = cursors;
    this.json = json;
  }

  public void restock(Context ctx) {
    long productId = Requests.id(ctx, "productId");
    Restock body = Json.optionalBody(ctx, json, Restock.class, new Restock(0));
    int quantity = body.quantity() == null ? 0 : Requests.atLeast(body.quantity(), "quantity", 0);
    ctx.status(202).json(trigger.restock(productId, quantity));
  }

  public void resend(Context ctx) {
    ctx.status(202).json(trigger.resend(Requests.id(ctx, "productId")));
  }

  public void rounds(Context ctx) {
    long productId = requireProduct(ctx);
    ctx.json(jdbi.onDemand(RoundDao.class).newestFirst(productId, MAX_ROUNDS_LISTED).stream()
        .map(this::view).toList());
  }

  public void users(Context ctx) {
    PageAsked asked = pageAsked(ctx);
    Page<UserHistoryDao.Row> page = Page.of(jdbi.onDemand(UserHistoryDao.class)
        .page(asked.productId(), asked.round(), asked.after(), asked.limit() + 1),
        asked.limit(), UserHistoryDao.Row::sendSeq);
    ctx.json(new UsersPage(page.rows().stream().map(UserHistoryDao.Row::userId).toList(),
        page.rows().stream().filter(r -> !r.confirmed()).map(UserHistoryDao.Row::userId).toList(),
        page.next()));
  }

  public void rejections(Context ctx) {
    PageAsked asked = pageAsked(ctx);
    Page<RejectionDao.Row> page = Page.of(jdbi.onDemand(RejectionDao.class)
        .page(asked.productId(), asked.round(), asked.after(), asked.limit() + 1),
        asked.limit(), RejectionDao.Row::id);
    ctx.json(new RejectionsPage(page.rows().stream()
        .map(r -> new Rejection(r.userId(), r.providerStatus())).toList(), page.next()));
  }

  /**
   * One page of a keyset list read with one row more than asked for: the rows to show, and the
   * key to ask for the next page after, or null when that extra row was not there.
   */
  private record Page<T>(List<T> rows, String next) {
    static <T> Page<T> of(List<T> read, int limit, ToLongFunction<T> key) {
      List<T> rows = read.subList(0, Math.min(read.size(), limit));
      return new Page<>(rows,
          read.size() > limit ? Long.toString(key.applyAsLong(rows.get(rows.size() - 1))) : null);
    }
  }

  /** The product and round must exist; {@code after} is the {@code next} of the page before. */
  private PageAsked pageAsked(Context ctx) {
    long productId = requireProduct(ctx);
    int round = ctx.pathParamAsClass("round", Integer.class)
        .check(r -> r > 0, "must be a positive whole number").get();
    long after = ctx.queryParamAsClass("after", Long.class).check(a -> a >= 0, "must be >= 0")
        .getOrDefault(0L);
    int limit = ctx.queryParamAsClass("limit", Integer.class)
        .check(l -> l >= 1 && l <= MAX_USERS_PAGE, "must be 1.." + MAX_USERS_PAGE)
        .getOrDefault(DEFAULT_USERS_PAGE);
    if (jdbi.onDemand(RoundDao.class).find(productId, round).isEmpty()) {
      throw ApiError.notFound("Product " + productId + " has no round " + round);
    }
    return new PageAsked(productId, round, after, limit);
  }

  private long requireProduct(Context ctx) {
    long productId = Requests.id(ctx, "productId");
    jdbi.useHandle(h -> new ProductDao(h).require(productId));
    return productId;
  }

  /** A live round's progress is in its Redis cursor; MySQL has it once the round stops. */
  private RoundView view(RestockRound round) {
    SendCursor cursor = round.cursor();
    if (round.status() == RoundStatus.IN_PROGRESS) {
      try {
        cursor = cursors.find(round.productId(), round.restockRound()).orElse(cursor);
      } catch (RuntimeException e) {
        log.debug("Live cursor unavailable, showing the synced one: {}", e.toString());
      }
    }
    return new RoundView(round.restockRound(), round.status(), cursor.lastUserId(),
        cursor.notifiedCount(), round.unconfirmedCount(), round.rejectedCount(),
        round.totalSubscribers(), secondsLeft(round, cursor), utc(round.startedAt()),
        utc(round.resumedAt()), utc(round.finishedAt()), round.wavesSent(),
        utc(round.nextWaveAt()), round.conversions(), round.unitsSold(),
        cursor.notifiedCount() == 0 ? null : (double) round.conversions() / cursor.notifiedCount());
  }

  /** MySQL keeps UTC times without a zone; the API says they are UTC. */
  private static Instant utc(LocalDateTime time) {
    return time == null ? null : time.toInstant(ZoneOffset.UTC);
  }

  /** For a live round: the subscribers left at the pace it has kept since it began sending. */
  private Long secondsLeft(RestockRound round, SendCursor cursor) {
    int toldSince = cursor.notifiedCount() - round.notifiedAtResume();
    if (round.status() != RoundStatus.IN_PROGRESS || toldSince <= 0) {
      return null;
    }
    double elapsed =
        Duration.between(round.sendingSince(), LocalDateTime.now(clock)).toMillis() / 1e3;
    double perSecond = toldSince / Math.max(elapsed, 0.001);
    int left = Math.max(0, round.totalSubscribers() - cursor.notifiedCount());
    return Math.round(left / perSecond);
  }

}
