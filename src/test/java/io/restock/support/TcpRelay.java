package io.restock.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * socat on a loopback port, relaying every connection to a server: a server that "comes up" at an
 * address where nothing listened before, without touching the real one that others share.
 */
public final class TcpRelay implements AutoCloseable {
  private final Process socat;

  private TcpRelay(Process socat) {
    this.socat = socat;
  }

  /** Listens on 127.0.0.1:{@code port}, relaying to {@code target} (host:port), once it returns. */
  public static TcpRelay open(int port, String target) {
    ProcessBuilder builder = new ProcessBuilder("socat",
        "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork", "TCP:" + target)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    TcpRelay relay;
    try {
      relay = new TcpRelay(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("socat is needed for this test (apt-get install socat)", e);
    }
    Poll.until(Duration.ofSeconds(10), "socat to listen on port " + port, () -> {
      if (!relay.socat.isAlive()) {
        throw new AssertionError("socat exited " + relay.socat.exitValue());
      }
      return accepts(port);
    });
    return relay;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops socat and the copies it forked for open connections, so those connections drop too. */
  @Override
  public void close() throws InterruptedException {
    socat.descendants().forEach(ProcessHandle::destroy);
    socat.destroy();
    socat.waitFor();
  }
}
