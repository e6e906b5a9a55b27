package io.restock.recovery;

import io.restock.support.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

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
}
