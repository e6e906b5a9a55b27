package io.restock.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A redis-server of the test's own on a free loopback port, with its own directory, for states
 * that must never be caused on the shared Redis: out of memory, read-only replica, loading after
 * a restart, an eviction policy, TLS, ACL users. Stopped (the process this class started, by its
 * handle) on close.
 */
public final class ThrowawayRedis implements AutoCloseable {
  private final int port;
  private final Path dir;
  /** Listens for TLS only (no plain TCP port at all). */
  private final TestCertificates tls;
  private Process process;

  private ThrowawayRedis(int port, Path dir, TestCertificates tls) {
    this.port = port;
    this.dir = dir;
    this.tls = tls;
  }

  /** Starts a server with {@code options} (redis-server command-line options) on top of ours. */
  public static ThrowawayRedis start(String... options) throws IOException {
    return startWith(null, options);
  }

  /**
   * Starts a server that speaks TLS only, with the server certificate of {@code certificates};
   * clients need no certificate of their own.
   */
  public static ThrowawayRedis startTls(TestCertificates certificates, String... options)
      throws IOException {
    return startWith(certificates, options);
  }

  private static ThrowawayRedis startWith(TestCertificates tls, String... options) throws IOException {
    // Its own directory: its log, cluster state, and the data restartLoadingSlowly saves.
    ThrowawayRedis redis =
        new ThrowawayRedis(freePort(), Files.createTempDirectory("throwaway-redis"), tls);
    redis.launch(options);
    return redis;
  }

  public int port() {
    return port;
  }

  /** REDIS_URL for the service under test. */
  public String url() {
    return (tls == null ? "redis://" : "rediss://") + "127.0.0.1:" + port + "/0";
  }

  /** A connection of the test's own, for setting the server up and reading its state. */
  public Jedis admin() {
    if (tls != null) {
      throw new IllegalStateException("a TLS-only server: reach it through a client with TLS");
    }
    return new Jedis("127.0.0.1", port);
  }

  /**
   * Restarts the server as one with persistence comes back after a restart: loading its data
   * from disk, which takes about 10 s here (20,000 keys, each slowed by the server's own test
   * option key-load-delay), and meanwhile answers most commands with LOADING.
   */
  public void restartLoadingSlowly() throws IOException, InterruptedException {
    try (Jedis admin = admin()) {
      admin.eval("for i = 1, 20000 do redis.call('SET', 'filler:' .. i, 'x') end", 0);
      admin.save();
    }
    stopProcess();
    launch("--key-load-delay", "500", "--loading-process-events-interval-bytes", "1024");
  }

  /** True while the server is loading its data (INFO answers then, most commands do not). */
  public boolean loading() {
    try (Jedis admin = admin()) {
      return admin.info("persistence").contains("loading:1");
    }
  }

  private void launch(String... options) throws IOException {
    List<String> command = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString()));
    if (tls == null) {
      command.addAll(List.of("--port", Integer.toString(port)));
    } else {
      command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
          "--tls-cert-file", tls.serverCertificate().toString(),
          "--tls-key-file", tls.serverKey().toString(),
          "--tls-ca-cert-file", tls.authority().toString(), "--tls-auth-clients", "no"));
    }
    command.addAll(List.of(options));
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile()).start();
    Poll.until(Duration.ofSeconds(10), "throwaway Redis on port " + port + " to accept connections",
        this::accepting);
  }

  /** Up enough to answer, even if only with an error (LOADING): the port is served. */
  private boolean accepting() {
    if (!process.isAlive()) {
      throw new AssertionError("redis-server exited; see " + dir.resolve("redis.log"));
    }
    if (tls != null) {
      return listening();
    }
    try (Jedis probe = admin()) {
      probe.info("server");
      return true;
    } catch (JedisConnectionException e) {
      return false;
    }
  }

  /** Takes TCP connections: what a probe without the TLS handshake can see. */
  private boolean listening() {
    try (Socket probe = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void stopProcess() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    stopProcess();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}
