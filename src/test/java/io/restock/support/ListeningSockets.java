package io.restock.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses this machine's listening TCP sockets are bound to, as the kernel reports them in
 * /proc/net/tcp and tcp6: which interfaces a service serves, learned without sending it anything.
 */
public final class ListeningSockets {
  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  /**
   * "127.0.0.1", "0.0.0.0", "::", ... for every socket listening on {@code port}; an IPv4 address
   * bound through a dual-stack socket is given as IPv4. Java binds 0.0.0.0 as "::".
   */
  public static Set<String> addressesOn(int port) {
    Set<String> found = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : lines(table)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[3].equals(LISTEN) || !f[1].contains(":")) {
          continue;
        }
        String[] local = f[1].split(":");
        if (Integer.parseInt(local[1], 16) == port) {
          found.add(address(local[0]));
        }
      }
    }
    return found;
  }

  /** The kernel writes addresses as 32-bit words in host (little-endian) order. */
  private static String address(String hex) {
    if (hex.length() == 8) {
      long v = Long.parseLong(hex, 16);
      return (v & 0xff) + "." + (v >> 8 & 0xff) + "." + (v >> 16 & 0xff) + "." + (v >> 24 & 0xff);
    }
    if (hex.startsWith("0000000000000000FFFF0000")) {
      return address(hex.substring(24)); // an IPv4 address on a dual-stack socket
    }
    return hex.equals("00000000000000000000000000000000") ? "::"
        : hex.equals("00000000000000000000000001000000") ? "::1" : hex;
  }

  private static List<String> lines(String table) {
    try {
      return Files.readAllLines(Path.of(table)).stream().skip(1).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
