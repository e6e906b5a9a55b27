package io.restock.infra;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.support.TestServices;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MySQL's "not now" answers, caused on the real server and seen through Jdbi as the service sees
 * them, are classified as worth a retry; a statement that is wrong is not.
 */
class DependencyDownMySqlTest {
  /** Rows of the test's own to lock, so the service's tables and other tests are not involved. */
  private static final String TABLE = "dependency_down_probe";
  private static Jdbi jdbi;

  @BeforeAll
  static void probeRows() {
    TestServices services = TestServices.get();
    jdbi = Jdbi.create(services::connect);
    jdbi.useHandle(h -> {
      h.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT PRIMARY KEY, n INT) ENGINE = InnoDB");
      h.execute("INSERT IGNORE INTO " + TABLE + " VALUES (1, 0), (2, 0)");
    });
  }

  @AfterAll
  static void dropProbe() {
    jdbi.useHandle(h -> h.execute("DROP TABLE IF EXISTS " + TABLE));
  }

  @Test
  void a_lock_wait_timeout_is_transient() {
    try (Handle holder = jdbi.open(); Handle waiter = jdbi.open()) {
      holder.begin();
      holder.createQuery("SELECT n FROM " + TABLE + " WHERE id = 1 FOR UPDATE").mapTo(Integer.class).one();
      waiter.execute("SET SESSION innodb_lock_wait_timeout = 1");

      RuntimeException timedOut = assertThrows(RuntimeException.class,
          () -> waiter.execute("UPDATE " + TABLE + " SET n = n + 1 WHERE id = 1"));

      assertTrue(sqlCause(timedOut).getErrorCode() == 1205, timedOut.toString());
      assertTransient(timedOut);
      holder.rollback();
    }
  }

  @Test
  void a_deadlock_is_transient() throws Exception {
    try (Handle first = jdbi.open(); Handle second = jdbi.open()) {
      first.begin();
      second.begin();
      first.execute("UPDATE " + TABLE + " SET n = n + 1 WHERE id = 1");
      second.execute("UPDATE " + TABLE + " SET n = n + 1 WHERE id = 2");
      // Each now asks for the row the other holds, in whichever order the threads run: a
      // cycle either way, and InnoDB picks one of them as the victim at once.
      CompletableFuture<RuntimeException> firstsTurn = CompletableFuture.supplyAsync(
          () -> failureOf(() -> first.execute("UPDATE " + TABLE + " SET n = n + 1 WHERE id = 2")));
      RuntimeException secondsTurn =
          failureOf(() -> second.execute("UPDATE " + TABLE + " SET n = n + 1 WHERE id = 1"));
      RuntimeException firstsFailure = firstsTurn.get(10, TimeUnit.SECONDS);
      RuntimeException victim = secondsTurn != null ? secondsTurn : firstsFailure;
      assertNotNull(victim, "no deadlock victim");
      assertTrue(sqlCause(victim).getErrorCode() == 1213, victim.toString());
      assertTransient(victim);
      first.rollback();
      second.rollback();
    }
  }

  @Test
  void the_jdbc_kinds_for_try_again_are_transient() {
    assertTransient(new SQLTransientException("transient"));
    assertTransient(new SQLTimeoutException("query timed out"));
    assertTransient(new SQLRecoverableException("reconnect and retry"));
  }

  @Test
  void a_wrong_statement_or_a_broken_rule_is_not_transient() {
    assertNull(DependencyDown.describe(assertThrows(RuntimeException.class,
        () -> jdbi.useHandle(h -> h.execute("SELEKT 1")))));
    assertNull(DependencyDown.describe(assertThrows(RuntimeException.class,
        () -> jdbi.useHandle(h -> h.execute("INSERT INTO " + TABLE + " VALUES (1, 0)")))));
  }

  private static RuntimeException failureOf(Runnable statement) {
    try {
      statement.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  private static SQLException sqlCause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql;
      }
    }
    throw new AssertionError("no SQLException in " + error);
  }

  private static void assertTransient(Throwable error) {
    String description = DependencyDown.describe(error);
    assertNotNull(description, "not seen as transient: " + error
        + (error.getCause() == null ? "" : " caused by " + error.getCause()));
    assertTrue(!description.contains(String.valueOf(error.getMessage())), description);
  }
}
