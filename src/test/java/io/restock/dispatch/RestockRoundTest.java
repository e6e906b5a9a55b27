package io.restock.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.infra.RedisKeys;
import io.restock.support.Api;
import io.restock.support.Concurrently;
import io.restock.support.ServiceExtension;
import io.restock.support.TestServices;
import io.restock.support.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** Whole rounds through the API, delivered to a webhook on loopback, at a raised cap. */
class RestockRoundTest {
  static final Duration ROUND_TIMEOUT = Duration.ofSeconds(30);
  @RegisterExtension static final ServiceExtension service = ServiceExtension.withWebhook(Map.of(
      "NOTIFY_RATE_PER_SEC", "3000",
      "NOTIFIER_CONCURRENCY", "4"));
  final Api api = service.api();
  final WebhookReceiver receiver = service.receiver();

  @Test
  void a_round_tells_every_active_subscriber_once_in_subscription_order() {
    long productId = api.createProduct("Sneaker", 0);
    List<Long> expected = new ArrayList<>();
    List<Long> singles = LongStream.rangeClosed(500, 540).boxed().collect(Collectors.toList());
    Collections.shuffle(singles, new Random(7));
    for (long user : singles) {
      api.put("/products/" + productId + "/subscriptions/" + user, null);
      expected.add(user);
    }
    api.subscribeRange(productId, 1, 300);
    LongStream.rangeClosed(1, 300).forEach(expected::add);
    // Leaving removes a user; coming back puts them at the end.
    api.delete("/products/" + productId + "/subscriptions/" + singles.get(3));
    api.delete("/products/" + productId + "/subscriptions/10");
    api.put("/products/" + productId + "/subscriptions/10", null);
    expected.remove(singles.get(3));
    expected.remove(Long.valueOf(10));
    expected.add(10L);

    Api.Response started = api.post("/products/" + productId + "/notifications/re-stock",
        "{\"quantity\":5}");
    assertEquals(202, started.status(), started.toString());
    assertEquals(1, started.json().get("restockRound").asInt());
    JsonNode round = api.awaitRoundEnd(productId, ROUND_TIMEOUT);

    assertEquals("COMPLETED", round.get("status").asText());
    assertEquals(expected.size(), round.get("notifiedCount").asInt());
    assertEquals(expected.size(), round.get("totalSubscribers").asInt());
    assertEquals(10L, round.get("lastNotifiedUserId").asLong());
    assertEquals(expected, api.notifiedUsers(productId, 1));
    assertEquals(expected.size(), receiver.accepted(productId).size());
    assertEquals(Map.of(), duplicates(productId));
  }

  @Test
  void each_round_tells_each_user_once_and_rounds_are_listed_newest_first() {
    long productId = api.createProduct("Jacket", 10);
    api.subscribeRange(productId, 1, 200);
    for (int round = 1; round <= 2; round++) {
      assertEquals(202, api.post("/products/" + productId + "/notifications/re-stock", null).status());
      assertEquals("COMPLETED", api.awaitRoundEnd(productId, ROUND_TIMEOUT).get("status").asText());
      assertEquals(LongStream.rangeClosed(1, 200).boxed().toList(), api.notifiedUsers(productId, round));
    }
    JsonNode rounds = api.get("/products/" + productId + "/notifications").json();
    assertEquals(2, rounds.get(0).get("restockRound").asInt());
    assertEquals(1, rounds.get(1).get("restockRound").asInt());
    assertEquals(400, receiver.accepted(productId).size());
    assertEquals(Map.of(), duplicates(productId));
    assertEquals(2, api.get("/products/" + productId).json().get("restockRound").asInt());
  }

  @Test
  void a_send_that_keeps_failing_cancels_the_round_and_the_resend_finishes_it() throws Exception {
    long productId = api.createProduct("Bag", 10);
    JsonNode failed = roundFailingAt(productId, 400, 150);

    assertEquals("CANCELED_BY_ERROR", failed.get("status").asText());
    assertEquals(149L, failed.get("lastNotifiedUserId").asLong());
    try (RedisClient redis = TestServices.get().redis()) {
      // MySQL holds where it stopped; the round's working keys in Redis are gone with its run.
      assertFalse(redis.exists(RedisKeys.cursor(productId, 1)), "the live cursor outlived its run");
      assertFalse(redis.exists(RedisKeys.sentLog(productId, 1)), "the sent log outlived its run");
    }
    assertEquals(List.of(), receiver.accepted(productId).stream()
        .filter(d -> d.userId() == 150).toList());

    receiver.acceptAll();
    Api.Response resent = api.post("/admin/products/" + productId + "/notifications/re-stock", null);
    assertEquals(202, resent.status(), resent.toString());
    assertEquals(1, resent.json().get("restockRound").asInt());
    JsonNode finished = api.awaitRoundEnd(productId, ROUND_TIMEOUT);

    assertEquals("COMPLETED", finished.get("status").asText());
    assertEquals(400, finished.get("notifiedCount").asInt());
    // Still the round that started first; timed from its resend.
    assertEquals(failed.get("startedAt"), finished.get("startedAt"));
    assertTrue(failed.get("resumedAt").isNull(), failed.toString());
    assertTrue(finished.get("resumedAt").asText().endsWith("Z"), finished.toString());
    assertTrue(java.time.Instant.parse(finished.get("resumedAt").asText())
        .isAfter(java.time.Instant.parse(failed.get("startedAt").asText())));
    List<Long> told = receiver.accepted(productId).stream().map(WebhookReceiver.Delivery::userId)
        .sorted().toList();
    assertEquals(LongStream.rangeClosed(1, 400).boxed().toList(), told, "skipped or told twice");
    assertEquals(400, api.notifiedUsers(productId, 1).size());
  }

  /**
   * What a run killed mid-round leaves in Redis, made by hand on a stopped round: user 22's answer
   * was seen, user 23's message had left with no answer. The run that resumes records both and
   * sends neither, and counts only 23 as unconfirmed.
   */
  @Test
  void a_resumed_round_records_what_a_lost_run_sent_and_sends_none_of_it_again() throws Exception {
    long productId = api.createProduct("Coat", 10);
    assertEquals(10L, roundFailingAt(productId, 20, 11).get("lastNotifiedUserId").asLong());
    api.subscribeRange(productId, 21, 30);
    try (RedisClient redis = TestServices.get().redis()) {
      // User 5 is in MySQL already: an entry whose removal Redis missed is not news.
      redis.hset(RedisKeys.sentLog(productId, 1),
          Map.of("22", SentLog.ANSWERED, "23", SentLog.LEFT, "5", SentLog.LEFT));
    }

    receiver.acceptAll();
    assertEquals(202, api.post("/admin/products/" + productId + "/notifications/re-stock", null).status());
    JsonNode finished = api.awaitRoundEnd(productId, ROUND_TIMEOUT);

    assertEquals("COMPLETED", finished.get("status").asText());
    assertEquals(30, finished.get("notifiedCount").asInt());
    assertEquals(1, finished.get("unconfirmedCount").asInt());
    List<Long> told = receiver.accepted(productId).stream().map(WebhookReceiver.Delivery::userId)
        .sorted().toList();
    assertEquals(LongStream.rangeClosed(1, 30).filter(u -> u != 22 && u != 23).boxed().toList(), told);
    JsonNode page = api.get("/products/" + productId + "/notifications/1/users?limit=1000").json();
    assertEquals(30, page.get("userIds").size());
    assertEquals("[23]", page.get("unconfirmedUserIds").toString());
    try (RedisClient redis = TestServices.get().redis()) {
      assertFalse(redis.exists(RedisKeys.sentLog(productId, 1)), "the sent log outlived its round");
    }
  }

  @Test
  void concurrent_triggers_start_exactly_one_round() throws Exception {
    long productId = api.createProduct("Drop", 10);
    api.subscribeRange(productId, 1, 50);
    List<Integer> statuses = Concurrently.run(8,
        () -> api.post("/products/" + productId + "/notifications/re-stock", null).status());

    assertEquals(1, statuses.stream().filter(s -> s == 202).count(), statuses.toString());
    assertEquals(7, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
    api.awaitRoundEnd(productId, ROUND_TIMEOUT);
    assertEquals(1, api.get("/products/" + productId + "/notifications").json().size());
    assertEquals(50, receiver.accepted(productId).size());
  }

  @Test
  void both_trigger_endpoints_answer_404_and_409_where_they_must() {
    assertEquals(404, api.post("/products/9999/notifications/re-stock", null).status());
    assertEquals(404, api.post("/admin/products/9999/notifications/re-stock", null).status());

    long productId = api.createProduct("Rare", 0);
    api.subscribeRange(productId, 1, 2_000);
    assertError(404, "NOT_FOUND", api.post("/admin/products/" + productId + "/notifications/re-stock", null));
    assertError(409, "OUT_OF_STOCK", api.post("/products/" + productId + "/notifications/re-stock", null));
    assertError(400, "BAD_REQUEST", api.post("/products/" + productId + "/notifications/re-stock",
        "{\"quantity\":-1}"));

    receiver.delay(20); // 4 in flight at 20 ms each: about 200 a second, a round of 10 s
    assertEquals(202, api.post("/products/" + productId + "/notifications/re-stock",
        "{\"quantity\":3}").status());
    assertError(409, "ROUND_IN_PROGRESS", api.post("/products/" + productId + "/notifications/re-stock", null));
    assertError(409, "ROUND_IN_PROGRESS", api.post("/admin/products/" + productId + "/notifications/re-stock", null));

    receiver.delay(0);
    assertEquals("COMPLETED", api.awaitRoundEnd(productId, ROUND_TIMEOUT).get("status").asText());
    assertError(409, "ROUND_COMPLETED", api.post("/admin/products/" + productId + "/notifications/re-stock", null));
  }

  @Test
  void the_users_of_a_round_are_read_in_keyset_pages_and_bad_paging_is_refused() {
    long productId = api.createProduct("Pages", 10);
    api.subscribeRange(productId, 1, 25);
    api.post("/products/" + productId + "/notifications/re-stock", null);
    api.awaitRoundEnd(productId, ROUND_TIMEOUT);
    String users = "/products/" + productId + "/notifications/1/users";

    JsonNode first = api.get(users + "?limit=10").json();
    assertEquals(10, first.get("userIds").size());
    JsonNode second = api.get(users + "?limit=10&after=" + first.get("next").asText()).json();
    assertEquals(11L, second.get("userIds").get(0).asLong());
    JsonNode third = api.get(users + "?limit=10&after=" + second.get("next").asText()).json();
    assertEquals(5, third.get("userIds").size());
    assertTrue(third.get("next").isNull());
    assertEquals(21L, third.get("userIds").get(0).asLong());

    assertError(400, "BAD_REQUEST", api.get(users + "?limit=0"));
    assertError(400, "BAD_REQUEST", api.get(users + "?limit=5000"));
    assertError(400, "BAD_REQUEST", api.get(users + "?after=-1"));
    assertError(400, "BAD_REQUEST", api.get(users + "?after=x"));
    assertError(404, "NOT_FOUND", api.get("/products/" + productId + "/notifications/7/users"));
    assertError(404, "NOT_FOUND", api.get("/products/9999/notifications"));
  }

  /** Users 1..subscribers wait; the receiver refuses one of them, so round 1 stops there. */
  private JsonNode roundFailingAt(long productId, int subscribers, long refusedUser) {
    api.subscribeRange(productId, 1, subscribers);
    receiver.refuse(refusedUser);
    api.post("/products/" + productId + "/notifications/re-stock", null);
    return api.awaitRoundEnd(productId, ROUND_TIMEOUT);
  }

  static void assertError(int status, String code, Api.Response response) {
    assertEquals(status, response.status(), response.toString());
    assertEquals(code, response.json().get("error").asText(), response.toString());
  }

  Map<Long, Long> duplicates(long productId) {
    return receiver.accepted(productId).stream()
        .collect(Collectors.groupingBy(d -> d.userId() * 1000 + d.round(), Collectors.counting()))
        .entrySet().stream().filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
