package io.restock.recovery;

import io.restock.support.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/** What MySQL recorded for a round, read straight from the history table. */
record RoundHistory(int rows, int distinctUsers) {
  static RoundHistory of(long productId, int round) {
    try (Connection c = TestServices.get().connect();
        PreparedStatement s = c.prepareStatement("""
            SELECT COUNT(*), COUNT(DISTINCT user_id) FROM product_user_notification_history
            WHERE product_id = ? AND restock_round = ?""")) {
      s.setLong(1, productId);
      s.setInt(2, round);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new RoundHistory(rs.getInt(1), rs.getInt(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Users recorded as told whose message's answer died with a killed instance. */
  static Set<Long> unconfirmed(long productId, int round) {
    try (Connection c = TestServices.get().connect();
        PreparedStatement s = c.prepareStatement("""
            SELECT user_id FROM product_user_notification_history
            WHERE product_id = ? AND restock_round = ? AND NOT confirmed""")) {
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
