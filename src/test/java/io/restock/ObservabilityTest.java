package io.restock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.access.Role;
import io.restock.support.Api;
import io.restock.support.Poll;
import io.restock.support.RunningApp;
import io.restock.support.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What an operator sees: metrics after a round, live progress, and a complete OpenAPI document. */
class ObservabilityTest {
  @Test
  void metrics_count_the_messages_and_rounds_of_a_finished_round() throws Exception {
    try (RunningApp app = RunningApp.start(Map.of("NOTIFY_RATE_PER_SEC", "3000"))) {
      Api api = app.api();
      long productId = api.createProduct("Metered", 1);
      api.subscribeRange(productId, 1, 120);
      api.post("/products/" + productId + "/notifications/re-stock", null);
      api.awaitRoundEnd(productId, Duration.ofSeconds(30));

      Api.Response metrics = api.get("/metrics");
      assertEquals(200, metrics.status());
      String text = metrics.body();
      assertEquals(120.0, value(text, "restock_messages_sent_total"));
      assertEquals(0.0, value(text, "restock_messages_failed_total"));
      assertEquals(1.0, value(text, "restock_rounds_started_total"));
      assertEquals(1.0, value(text, "restock_rounds_finished_total{status=\"COMPLETED\"}"));
      assertEquals(1.0, value(text, "restock_round_duration_seconds_count{status=\"COMPLETED\"}"));
      assertEquals(3000.0, value(text, "restock_rate_cap"));
      assertEquals(0.0, value(text, "restock_jobs_pending"));
      assertTrue(value(text, "restock_limiter_wait_seconds_count") >= 120);
      for (String family : List.of("jvm_memory_used_bytes", "hikaricp_connections_active",
          "jvm_threads_live_threads", "restock_jobs_lag")) {
        assertTrue(text.contains(family), family + " missing from /metrics");
      }
    }
  }

  @Test
  void a_live_round_shows_its_progress_and_an_estimate_of_the_time_left() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver();
        RunningApp app = RunningApp.start(Map.of("NOTIFIER_WEBHOOK_URL", receiver.url()))) {
      Api api = app.api();
      long productId = api.createProduct("Watched", 1);
      api.subscribeRange(productId, 1, 1_000);
      api.post("/products/" + productId + "/notifications/re-stock", null);

      JsonNode live = Poll.until(Duration.ofSeconds(10), "progress on a live round",
          () -> api.latestRound(productId),
          round -> round.get("notifiedCount").asInt() >= 100
              && "IN_PROGRESS".equals(round.get("status").asText()));
      assertEquals(1_000, live.get("totalSubscribers").asInt());
      assertTrue(live.get("estimatedSecondsLeft").asLong() > 0, live.toString());
      assertTrue(live.get("finishedAt").isNull());

      JsonNode done = api.awaitRoundEnd(productId, Duration.ofSeconds(20));
      assertEquals(1_000, done.get("notifiedCount").asInt());
      assertTrue(done.get("estimatedSecondsLeft").isNull());
      assertTrue(!done.get("finishedAt").isNull());
    }
  }

  @Test
  void the_openapi_document_describes_every_route_with_the_role_it_declares() throws Exception {
    try (RunningApp app = RunningApp.start(Map.of())) {
      Api.Response response = app.api().get("/openapi.json");
      assertEquals(200, response.status());
      JsonNode document = response.json();
      JsonNode bearer = document.at("/components/securitySchemes/bearer");
      assertEquals("http", bearer.path("type").asText(), bearer.toString());
      assertEquals("bearer", bearer.path("scheme").asText(), bearer.toString());
      assertTrue(app.routes().size() >= 14, app.routes().toString());
      app.routes().forEach((route, role) -> {
        String[] methodAndPath = route.split(" ", 2);
        JsonNode operation = document.path("paths").path(methodAndPath[1])
            .path(methodAndPath[0].toLowerCase());
        assertTrue(operation.isObject(), route + " is not in openapi.json");
        assertEquals(role.name().toLowerCase(), operation.path("x-role").asText(), route);
        JsonNode security = operation.path("security");
        JsonNode responses = operation.path("responses");
        if (role == Role.OPEN) {
          assertTrue(security.isArray() && security.isEmpty(), route + ": " + security);
        } else {
          assertTrue(security.path(0).has("bearer"), route + ": " + security);
          assertTrue(responses.has("401"), route + " does not declare its 401");
        }
        assertEquals(role == Role.ADMIN, responses.has("403"), route + ": " + responses);
      });
    }
  }

  private static double value(String prometheusText, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
        .matcher(prometheusText);
    assertTrue(m.find(), series + " not in /metrics");
    return Double.parseDouble(m.group(1));
  }
}
