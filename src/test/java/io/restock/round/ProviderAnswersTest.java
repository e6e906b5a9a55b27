package io.restock.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.support.Api;
import io.restock.support.ServiceExtension;
import io.restock.support.TestServices;
import io.restock.support.WebhookReceiver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What each kind of provider answer does to a round (SPEC rule 11), through the API. */
class ProviderAnswersTest {
  static final Duration ROUND_TIMEOUT = Duration.ofSeconds(30);
  @RegisterExtension static final ServiceExtension service = ServiceExtension.withWebhook(Map.of(
      "NOTIFY_RATE_PER_SEC", "3000", "NOTIFIER_CONCURRENCY", "4"));
  final Api api = service.api();
  final WebhookReceiver receiver = service.receiver();

  @Test
  void a_recipient_gone_for_good_is_listed_unsubscribed_and_the_round_goes_on() {
    long productId = api.createProduct("Boot", 10);
    api.subscribeRange(productId, 1, 200);
    receiver.answer(50, 410);
    JsonNode round = runRound(productId);

    assertEquals("COMPLETED", round.get("status").asText(), round.toString());
    assertEquals(199, round.get("notifiedCount").asInt());
    assertEquals(1, round.get("rejectedCount").asInt());
    assertEquals(200L, round.get("lastNotifiedUserId").asLong());
    List<Long> expected = LongStream.rangeClosed(1, 200).filter(u -> u != 50).boxed().toList();
    assertEquals(expected, api.notifiedUsers(productId, 1));
    assertEquals(List.of("50:410"), rejections(productId, 1));
    assertEquals(1, requestsFor(50), "a recipient refused for good was tried again");
    assertEquals(false, subscribed(productId, 50), "410 must end the subscription");

    receiver.acceptAll();
    JsonNode next = runRound(productId);
    assertEquals(199, next.get("totalSubscribers").asInt());
    assertEquals(199, next.get("notifiedCount").asInt());
  }

  @Test
  void a_refused_recipient_no_longer_blocks_the_product_and_stays_subscribed() {
    long productId = api.createProduct("Cap", 10);
    api.subscribeRange(productId, 1, 100);
    receiver.answer(1, 404);
    receiver.answer(100, 422);
    JsonNode round = runRound(productId);
    assertEquals("COMPLETED", round.get("status").asText(), round.toString());
    assertEquals(98, round.get("notifiedCount").asInt());
    assertEquals(2, round.get("rejectedCount").asInt());
    assertEquals(99L, round.get("lastNotifiedUserId").asLong(),
        "the last user told is 99: 100 was refused");
    assertEquals(java.util.Set.of("1:404", "100:422"), java.util.Set.copyOf(rejections(productId, 1)));
    assertEquals(true, subscribed(productId, 1));

    receiver.acceptAll();
    JsonNode next = runRound(productId);
    assertEquals(100, next.get("notifiedCount").asInt(), "the next round tells them again");
  }

  @Test
  void twenty_refusals_in_a_row_mean_our_request_is_wrong_and_stop_the_round() {
    long productId = api.createProduct("Scarf", 10);
    api.subscribeRange(productId, 1, 200);
    for (long user = 11; user <= 60; user++) {
      receiver.answer(user, 400);
    }
    JsonNode round = runRound(productId);
    assertEquals("CANCELED_BY_ERROR", round.get("status").asText(), round.toString());
    // It was our request that was wrong, not the recipients: none of them counts as rejected.
    assertEquals(0, round.get("rejectedCount").asInt(), round.toString());
    assertEquals(List.of(), rejections(productId, 1));
    assertEquals(10L, round.get("lastNotifiedUserId").asLong());
    assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), api.notifiedUsers(productId, 1));

    // Our request fixed: the resend tells the refused ones too, and nobody twice.
    receiver.acceptAll();
    assertEquals(202, api.post("/admin/products/" + productId + "/notifications/re-stock", null)
        .status());
    JsonNode resumed = api.awaitRoundEnd(productId, ROUND_TIMEOUT);
    assertEquals("COMPLETED", resumed.get("status").asText(), resumed.toString());
    assertEquals(200, resumed.get("notifiedCount").asInt());
    assertEquals(0, resumed.get("rejectedCount").asInt());
    assertEquals(LongStream.rangeClosed(1, 200).boxed().toList(), api.notifiedUsers(productId, 1));
    assertEquals(200, receiver.accepted(productId).size(), "someone told twice");
  }

  @Test
  void a_provider_refusing_us_ends_the_round_at_once() {
    long productId = api.createProduct("Glove", 10);
    api.subscribeRange(productId, 1, 300);
    receiver.answerAll(401);
    JsonNode round = runRound(productId);
    assertEquals("CANCELED_BY_ERROR", round.get("status").asText(), round.toString());
    assertEquals(0, round.get("notifiedCount").asInt());
    assertEquals(0, round.get("rejectedCount").asInt());
    assertTrue(receiver.requests().size() <= 8,
        "kept sending after a 401: " + receiver.requests().size() + " requests");
  }

  @Test
  void slow_down_with_retry_after_is_honoured_and_the_message_still_arrives() {
    long productId = api.createProduct("Belt", 10);
    api.subscribeRange(productId, 1, 20);
    receiver.answer(5, 429);
    receiver.retryAfter("1");
    api.post("/products/" + productId + "/notifications/re-stock", null);
    io.restock.support.Poll.until(ROUND_TIMEOUT, "user 5 to be asked to slow down",
        () -> requestsFor(5) >= 1);
    receiver.answer(5, 204);
    JsonNode round = api.awaitRoundEnd(productId, ROUND_TIMEOUT);
    assertEquals("COMPLETED", round.get("status").asText(), round.toString());
    assertEquals(20, round.get("notifiedCount").asInt());
    List<WebhookReceiver.Request> asked = receiver.requests().stream()
        .filter(r -> r.userId() == 5).toList();
    assertEquals(2, asked.size(), asked.toString());
    long waitedMillis = (asked.get(1).arrivedNanos() - asked.get(0).arrivedNanos()) / 1_000_000;
    assertTrue(waitedMillis >= 1_000, "Retry-After: 1 ignored: tried again after " + waitedMillis + " ms");
  }

  private JsonNode runRound(long productId) {
    Api.Response started = api.post("/products/" + productId + "/notifications/re-stock", null);
    assertEquals(202, started.status(), started.toString());
    return api.awaitRoundEnd(productId, ROUND_TIMEOUT);
  }

  private int requestsFor(long userId) {
    return (int) receiver.requests().stream().filter(r -> r.userId() == userId).count();
  }

  /** The rejections page by page, as "user:status". */
  private List<String> rejections(long productId, int round) {
    List<String> all = new ArrayList<>();
    String after = "0";
    while (after != null) {
      Api.Response page = api.get("/products/" + productId + "/notifications/" + round
          + "/rejections?limit=7&after=" + after);
      assertEquals(200, page.status(), page.toString());
      page.json().get("rejections").forEach(r ->
          all.add(r.get("userId").asLong() + ":" + r.get("providerStatus").asInt()));
      JsonNode next = page.json().get("next");
      after = next.isNull() ? null : next.asText();
    }
    return all;
  }

  private static boolean subscribed(long productId, long userId) {
    try (Connection c = TestServices.get().connect();
        PreparedStatement s = c.prepareStatement("""
            SELECT is_active FROM product_user_notification WHERE product_id = ? AND user_id = ?""")) {
      s.setLong(1, productId);
      s.setLong(2, userId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
