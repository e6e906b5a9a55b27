package io.restock.bench;

import static io.restock.bench.BenchFailure.EXIT_START;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The run's own MySQL database and Redis db, wiped with the command-line clients. */
final class Storage {
  private Storage() {}

  /** A clean slate every run: the service migrates the dropped database afresh on start. */
  static void reset(Options o) throws IOException, InterruptedException {
    runTool("mariadb", "-h127.0.0.1", "-P3306", "-uroot", "-e", "DROP DATABASE IF EXISTS `" + o.dbName() + "`");
    runTool("redis-cli", "-h", "127.0.0.1", "-p", "6379", "-n", Integer.toString(o.redisDb()), "FLUSHDB");
  }

  private static void runTool(String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new BenchFailure(EXIT_START, "cannot run " + command[0] + ": " + e.getMessage());
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new BenchFailure(EXIT_START, String.join(" ", command) + " failed: " + output);
    }
  }
}
