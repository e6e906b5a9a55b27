package io.restock.support;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Stops and restarts this machine's own MariaDB and Redis, for outage tests. Only used when the
 * tests run against the local servers (not containers); every test that stops one starts it again.
 */
public final class LocalServers {
  private LocalServers() {}

  public static boolean inUse() {
    return TestServices.get().redisUrl().contains("127.0.0.1:6379");
  }

  public static void stopRedis() {
    run("redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave");
    Poll.until(Duration.ofSeconds(20), "Redis to stop", () -> !redisAnswers());
  }

  /** Starts Redis as this machine's services start it: no persistence, so it comes back empty. */
  public static void startRedis() {
    run("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
        "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
        "--logfile", "/var/log/redis/ci.log");
    Poll.until(Duration.ofSeconds(30), "Redis to answer", LocalServers::redisAnswers);
  }

  /** Returns once the server process is gone, not just silent: a restart must not find it. */
  public static void stopMariaDb() {
    run("mariadb-admin", "--protocol=tcp", "-h127.0.0.1", "-uroot", "shutdown");
    Poll.until(Duration.ofSeconds(60), "MariaDB's process to exit",
        () -> exitCode("pidof", "mariadbd") != 0);
  }

  public static void startMariaDb() {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!mariaDbAnswers()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("MariaDB did not come back within 90 s");
      }
      if (exitCode("pidof", "mariadbd") != 0) {
        run("start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd");
      }
      Poll.until(Duration.ofSeconds(30), "MariaDB to answer or exit",
          () -> mariaDbAnswers() || exitCode("pidof", "mariadbd") != 0);
    }
  }

  private static boolean redisAnswers() {
    return exitCode("redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping") == 0
        && output("redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping").contains("PONG");
  }

  private static boolean mariaDbAnswers() {
    return exitCode("mariadb-admin", "--protocol=tcp", "-h127.0.0.1", "-uroot", "ping") == 0;
  }

  private static void run(String... command) {
    int code = exitCode(command);
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + code);
    }
  }

  private static int exitCode(String... command) {
    try {
      return new ProcessBuilder(List.of(command)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String output(String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
