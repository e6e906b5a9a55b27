package io.restock.support;

import io.restock.Main;
import io.restock.infra.Config;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service in a JVM of its own, started from the test classpath, so a test can kill it with
 * SIGKILL or stop it with SIGTERM as an operator's machine would.
 */
public final class ChildService implements AutoCloseable {
  private final String name;
  private final Process process;
  private final File log;
  private final int port;
  private final Api api;

  private ChildService(String name, Process process, File log, int port) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.port = port;
    this.api = new Api(port);
  }

  /** Starts the service and waits until its /health is 200. */
  public static ChildService start(String name, Map<String, String> overrides) throws IOException {
    ChildService child = launch(name, overrides);
    child.awaitHealth(200);
    return child;
  }

  /** Starts the service and returns at once, before it answers anything. */
  public static ChildService launch(String name, Map<String, String> overrides) throws IOException {
    int port = Ports.free();
    // The test defaults; the overrides reach the child as they are and it checks them itself, so
    // a test can hand it settings it must refuse.
    Config config = TestServices.get().config(Map.of());
    ProcessBuilder builder = new ProcessBuilder(
        ProcessHandle.current().info().command().orElse("java"),
        "@src/main/jvm/restock.jvmopts", // the service's own JVM options, as the image runs it
        "-cp", System.getProperty("java.class.path"), Main.class.getName());
    Map<String, String> env = builder.environment();
    env.put("PORT", Integer.toString(port));
    env.put("DB_URL", config.dbUrl());
    env.put("DB_USER", config.dbUser());
    env.put("DB_PASSWORD", config.dbPassword());
    env.put("REDIS_URL", config.redisUrl().toString());
    env.putAll(overrides);
    File log = new File("target/child-" + name + ".log");
    builder.redirectErrorStream(true).redirectOutput(log);
    return new ChildService(name, builder.start(), log, port);
  }

  /** Waits until /health answers {@code status}; returns that answer. */
  public Api.Response awaitHealth(int status) {
    return Poll.until(Duration.ofSeconds(30),
        name + " to answer /health with " + status + " (log: " + log + ")", () -> {
          if (!process.isAlive()) {
            throw new AssertionError(name + " exited early; see " + log);
          }
          try {
            return api.get("/health");
          } catch (RuntimeException e) {
            return null;
          }
        }, health -> health != null && health.status() == status);
  }

  /** Everything the service has written to its log so far. */
  public String log() {
    try {
      return Files.readString(log.toPath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the process to exit by itself; its exit code. */
  public int awaitExit(Duration patience) throws InterruptedException {
    if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " still runs after " + patience + "; see " + log);
    }
    return process.exitValue();
  }

  public Api api() {
    return api;
  }

  /** The port it was told to listen on, for a test that connects to it other than through api(). */
  public int port() {
    return port;
  }

  /** SIGSTOP: frozen as by a long GC pause or a suspended VM, sockets and all. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT: it carries on from where it was frozen, believing no time has passed. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    int code = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
    if (code != 0) {
      throw new IllegalStateException("kill -" + name + " exited " + code);
    }
  }

  /** SIGKILL: no shutdown hook, nothing synced. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, then waits for the exit; returns how long the process took to end. */
  public Duration terminate(Duration patience) throws InterruptedException {
    long started = System.nanoTime();
    process.destroy();
    if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("did not exit within " + patience + " of SIGTERM");
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
