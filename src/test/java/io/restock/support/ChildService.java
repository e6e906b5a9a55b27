package io.restock.support;

import io.restock.Main;
import io.restock.infra.Config;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service in a JVM of its own, started from the test classpath, so a test can kill it with
 * SIGKILL or stop it with SIGTERM as an operator's machine would.
 */
public final class ChildService implements AutoCloseable {
  private final Process process;
  private final Api api;
  private final File log;

  private ChildService(Process process, int port, File log) {
    this.process = process;
    this.api = new Api(port);
    this.log = log;
  }

  public static ChildService start(String name, Map<String, String> overrides) throws IOException {
    int port = freePort();
    Config config = TestServices.get().config(overrides);
    ProcessBuilder builder = new ProcessBuilder(
        ProcessHandle.current().info().command().orElse("java"),
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
    ChildService child = new ChildService(builder.start(), port, log);
    Poll.until(Duration.ofSeconds(30), name + " to answer /health (log: " + log + ")", () -> {
      if (!child.process.isAlive()) {
        throw new AssertionError(name + " exited early; see " + log);
      }
      try {
        return child.api.get("/health").status() == 200;
      } catch (RuntimeException e) {
        return false;
      }
    });
    return child;
  }

  public Api api() {
    return api;
  }

  /** What the process has logged so far. */
  public String log() {
    try {
      return java.nio.file.Files.readString(log.toPath());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
