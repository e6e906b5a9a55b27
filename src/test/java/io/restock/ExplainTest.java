package io.restock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.support.Api;
import io.restock.support.RunningApp;
import io.restock.support.TestServices;
import io.restock.support.WebhookReceiver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Records every statement the service sends while it serves each endpoint and runs rounds (the
 * server's general log), then EXPLAINs each one: no full table scan, no full index scan, no
 * filesort. Filler rows make the tables big enough that the optimizer's choice is the real one.
 */
class ExplainTest {
  private static final List<String> TABLES = List.of("product", "product_notification_history",
      "product_user_notification", "product_user_notification_history",
      "product_user_notification_rejection");

  @Test
  void every_statement_the_service_runs_uses_an_index_without_a_sort() throws Exception {
    Set<String> statements;
    try (Connection c = TestServices.get().connect(); Statement s = c.createStatement()) {
      s.execute("SET GLOBAL log_output = 'TABLE'");
      s.execute("TRUNCATE TABLE mysql.general_log");
      // On from before the start, so the start-up recovery sweep is recorded too.
      s.execute("SET GLOBAL general_log = 1");
      try (WebhookReceiver receiver = new WebhookReceiver();
          RunningApp app = RunningApp.start(Map.of("NOTIFIER_WEBHOOK_URL", receiver.url(),
              "NOTIFY_RATE_PER_SEC", "3000"))) {
        seedFiller(app.api());
        exerciseEveryEndpoint(app.api(), receiver);
      } finally {
        s.execute("SET GLOBAL general_log = 0");
      }
      statements = capturedStatements(s);
    }
    assertTrue(statements.size() >= 15, "too few statements captured: " + statements);
    for (String mustBeThere : List.of("LEFT JOIN product_user_notification_history", "status = 'IN_PROGRESS'", "FOR UPDATE",
        "LOCK IN SHARE MODE", "ORDER BY send_seq", "unconfirmed_count = unconfirmed_count +",
        "LEFT JOIN product_user_notification_rejection", "rejected_count = (",
        "owner_epoch = owner_epoch + 1", "AND owner_epoch =", "FROM product_user_notification_rejection",
        "next_wave_at <=", "SET next_wave_at = NULL WHERE", "SET wave_ends_at_count =",
        "next_wave_at IS NOT NULL", "AS per_unit", "h.user_id =", "conversions = conversions +",
        "AND stock >=", "stock_version FROM product WHERE")) {
      assertTrue(statements.stream().anyMatch(sql -> sql.contains(mustBeThere)),
          "no captured statement has " + mustBeThere);
    }
    List<String> problems = new ArrayList<>();
    try (Connection c = TestServices.get().connect(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        for (Map<String, String> row : explain(s, sql)) {
          String type = row.get("type");
          String extra = String.valueOf(row.get("Extra"));
          if ("ALL".equals(type) || "index".equals(type) || extra.contains("filesort")
              || row.get("key") == null && !extra.contains("optimized away")) {
            problems.add(row + "\n    for " + sql);
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  private static void seedFiller(Api api) {
    for (int i = 0; i < 30; i++) {
      long id = api.createProduct("filler-" + i, 5);
      api.subscribeRange(id, 1, 100);
      api.post("/products/" + id + "/notifications/re-stock", null);
    }
    for (int i = 1; i <= 30; i++) {
      api.awaitRoundEnd(i, Duration.ofSeconds(30));
    }
  }

  private static void exerciseEveryEndpoint(Api api, WebhookReceiver receiver) {
    long id = api.createProduct("Explained", 0);
    api.get("/products/" + id);
    api.put("/products/" + id + "/stock", "{\"stock\":3}");
    api.post("/products/" + id + "/purchases", "{\"quantity\":1}");
    api.put("/products/" + id + "/subscriptions/7", null);
    api.delete("/products/" + id + "/subscriptions/7");
    api.put("/products/" + id + "/subscriptions/7", null);
    api.subscribeRange(id, 1, 300);
    receiver.refuse(100);
    receiver.answer(50, 410);
    api.post("/products/" + id + "/notifications/re-stock", "{\"quantity\":1}");
    api.awaitRoundEnd(id, Duration.ofSeconds(30));
    receiver.acceptAll();
    // What a killed run leaves behind, so the resend's take-over statements run too.
    api.put("/products/" + id + "/subscriptions/301", null);
    try (RedisClient redis = TestServices.get().redis()) {
      redis.hset("restock:sent-log:" + id + ":1", "301", "left");
    }
    api.post("/admin/products/" + id + "/notifications/re-stock", null);
    api.awaitRoundEnd(id, Duration.ofSeconds(30));
    api.post("/products/" + id + "/notifications/re-stock", null);
    api.awaitRoundEnd(id, Duration.ofSeconds(30));
    api.get("/products/" + id + "/notifications");
    api.get("/products/" + id + "/notifications/1/users?limit=10&after=5");
    api.get("/products/" + id + "/notifications/1/rejections?limit=10&after=0");
    api.get("/health");
    exerciseWavesAndAttribution(api);
  }

  /** A round of two waves, a sell-out between them, a purchase by a told buyer (rules 9, 10). */
  private static void exerciseWavesAndAttribution(Api api) {
    long id = api.createProduct("Waved", 0);
    api.subscribeRange(id, 1, 20);
    api.put("/products/" + id + "/notification-policy", "{\"perUnit\":2,\"waveIntervalSeconds\":1}");
    api.get("/products/" + id + "/notification-policy");
    api.post("/products/" + id + "/notifications/re-stock", "{\"quantity\":3}");
    io.restock.support.Poll.until(Duration.ofSeconds(30), "two waves sent",
        () -> api.latestRound(id).get("wavesSent").asInt() == 2);
    api.post("/products/" + id + "/purchases", "{\"quantity\":3,\"userId\":1}");
  }

  private static Set<String> capturedStatements(Statement s) throws Exception {
    Set<String> found = new LinkedHashSet<>();
    // The general log is the whole server's: other checkouts' services may run on it at the same
    // time, against databases of their own (and schemas of their own). Only sessions that chose
    // this test's database count, on connecting or later (Init DB).
    try (ResultSet rs = s.executeQuery("""
        SELECT CONVERT(argument USING utf8mb4) FROM mysql.general_log
        WHERE command_type = 'Query' AND thread_id IN (
          SELECT thread_id FROM mysql.general_log
          WHERE command_type = 'Connect' AND CONVERT(argument USING utf8mb4) LIKE CONCAT('% on ', DATABASE(), ' %')
             OR command_type = 'Init DB' AND CONVERT(argument USING utf8mb4) = DATABASE())""")) {
      while (rs.next()) {
        String sql = rs.getString(1).strip().replaceAll("\\s+", " ");
        String verb = sql.split(" ")[0].toUpperCase();
        boolean readsOurTables = TABLES.stream().anyMatch(t -> sql.matches("(?is).*\\b" + t + "\\b.*"));
        boolean touchesRows = verb.equals("SELECT") || verb.equals("UPDATE") || verb.equals("DELETE")
            || (verb.equals("INSERT") && sql.toUpperCase().contains(" SELECT "));
        if (readsOurTables && touchesRows && !sql.contains("general_log")) {
          found.add(sql);
        }
      }
    }
    return found;
  }

  private static List<Map<String, String>> explain(Statement s, String sql) throws Exception {
    List<Map<String, String>> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        Map<String, String> row = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
