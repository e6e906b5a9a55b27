package io.restock.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restock.support.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/** What MySQL recorded for a round, read straight from the history table. */
record RoundHistory(int rows, int distinctUsers, int distinctSendNumbers) {
  RoundHistory(int rows, int distinctUsers) {
    this(rows, distinctUsers, rows);
  }

  static RoundHistory of(long productId, int round) {
    try (Connection c = TestServices.get().connect();
        PreparedStatement s = c.prepareStatement("""
            SELECT COUNT(*), COUNT(DISTINCT user_id), COUNT(DISTINCT send_seq)
            FROM product_user_notification_history
            WHERE product_id = ? AND restock_round = ?""")) {
      s.setLong(1, productId);
      s.setInt(2, round);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new RoundHistory(rs.getInt(1), rs.getInt(2), rs.getInt(3));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The round's record agrees with its history, for subscribers 1..N subscribed in that order:
   * the count is the history's, nobody is in it twice, and everyone up to the last user told is.
   */
  static void assertRecordAgrees(long productId, JsonNode round) {
    int number = round.get("restockRound").asInt();
    RoundHistory history = of(productId, number);
    assertEquals(history.rows(), history.distinctUsers(), "someone is in the history twice");
    assertEquals(history.rows(), history.distinctSendNumbers(),
        "two sends share a number: the users page cannot page past them");
    assertEquals(history.rows(), round.get("notifiedCount").asInt(), "notifiedCount: " + round);
    JsonNode last = round.get("lastNotifiedUserId");
    Set<Long> told = users(productId, number);
    if (!last.isNull()) {
      for (long user = 1; user <= last.asLong(); user++) {
        assertTrue(told.contains(user), "user " + user + " is before the last user told "
            + last + " but not in the history");
      }
    }
  }

  static Set<Long> users(long productId, int round) {
    return userIds(productId, round, "TRUE");
  }

  /** Users recorded as told whose message's answer died with a killed instance. */
  static Set<Long> unconfirmed(long productId, int round) {
    return userIds(productId, round, "NOT confirmed");
  }

  private static Set<Long> userIds(long productId, int round, String condition) {
    try (Connection c = TestServices.get().connect();
        PreparedStatement s = c.prepareStatement("""
            SELECT user_id FROM product_user_notification_history
            WHERE product_id = ? AND restock_round = ? AND\s""" + condition)) {
      s.setLong(1, productId);
      s.setInt(2, round);
      Set<Long> users = new HashSet<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          users.add(rs.getLong(1));
        }
      }
      return users;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
