package io.restock.bench;

import static io.restock.bench.BenchFailure.EXIT_FAILED;
import static io.restock.bench.BenchFailure.EXIT_START;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * --wire tcpdump: the webhook requests as the loopback carried them, beside the receiver's stamps.
 * The receiver is a process on the same two cores: when it is kept off the CPU for a while it
 * stamps what arrived meanwhile together, which reads as a burst the service never sent. The
 * service writes each request's last byte alone, at its departure (DepartureGate), so the
 * one-byte segments to the receiver's port are the departures as the kernel saw them.
 */
final class Wire {
  private static final Path FILE = RestockBench.OUT.resolve("wire.pcap");
  private static final Path MESSAGES = RestockBench.OUT.resolve("tcpdump.log");
  private static final int PCAP_HEADER_BYTES = 24;
  /** "1796222704.046085 IP 127.0.0.1.33414 > 127.0.0.1.39205: Flags [P.], seq 420:421, ..., length 1" */
  private static final Pattern LAST_BYTE =
      Pattern.compile("^(\\d+\\.\\d+) IP [\\d.]+\\.(\\d+) > .* seq (\\d+):\\d+, .*, length 1$");

  private final Process tcpdump;

  private Wire(Process tcpdump) {
    this.tcpdump = tcpdump;
  }

  /** Records every segment sent to the receiver's port; returns once they reach the file. */
  static Wire record(int receiverPort) throws IOException, InterruptedException {
    // A 64 MB buffer: with the default 2 MB, a rush kept tcpdump off the CPU long enough for the
    // kernel to drop 84 of 10,000 requests' segments.
    // --immediate-mode and -U: each packet reaches the file as it comes. Without them the kernel
    // hands packets over a block at a time, and the block in hand when tcpdump is stopped (the
    // last 37 requests of a round) never reaches the file.
    Process p = new ProcessBuilder("tcpdump", "-i", "lo", "-s", "96", "-B", "65536",
        "--immediate-mode", "-U", "-w", FILE.toString(), "tcp dst port " + receiverPort)
        .redirectErrorStream(true)
        .redirectOutput(MESSAGES.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (p.isAlive() && System.nanoTime() < deadline) {
      // "listening on" comes before packets are really taken (the first ~100 requests of a
      // round were missing): a connection opened and closed, which the receiver never sees as a
      // request, shows in the file once they are.
      if (Files.readString(MESSAGES).contains("listening on")) {
        new Socket(InetAddress.getLoopbackAddress(), receiverPort).close();
        if (Files.exists(FILE) && Files.size(FILE) > PCAP_HEADER_BYTES) {
          return new Wire(p);
        }
      }
      Thread.sleep(20);
    }
    p.destroyForcibly();
    throw new BenchFailure(EXIT_START, "tcpdump did not start (run as root, apt-get install -y tcpdump): "
        + Files.readString(MESSAGES).strip());
  }

  /** Ends tcpdump if it still runs (the run failed before reading it back). */
  void stop() {
    tcpdump.destroyForcibly();
  }

  /** Stops the recording and reads it back: the busiest second of last bytes, and their count. */
  String stopAndRead(int cap) throws IOException, InterruptedException {
    tcpdump.destroy();
    if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
      tcpdump.destroyForcibly();
      throw new BenchFailure(EXIT_FAILED, "tcpdump did not stop");
    }
    String dropped = Files.readAllLines(MESSAGES).stream().filter(l -> l.contains("dropped by kernel"))
        .findFirst().orElse("? packets dropped by kernel").strip();
    Process read = new ProcessBuilder("tcpdump", "-tt", "-n", "-r", FILE.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    long[] lastBytes;
    try (BufferedReader out = read.inputReader(StandardCharsets.UTF_8)) {
      // A segment the receiver's kernel was slow to acknowledge is sent again (a tail loss
      // probe): one per connection and sequence number, the first time it was seen.
      Set<String> seen = new HashSet<>();
      lastBytes = out.lines().map(LAST_BYTE::matcher).filter(Matcher::find)
          .filter(m -> seen.add(m.group(2) + " " + m.group(3)))
          .mapToLong(m -> Math.round(Double.parseDouble(m.group(1)) * 1e9))
          .toArray();
    }
    read.waitFor();
    Arrays.sort(lastBytes);
    int busiest = Report.maxInOneSecond(lastBytes);
    return Print.format("on the wire (tcpdump, %s; %s): %d requests' last bytes; max in any 1 s"
        + " window %s", FILE, dropped, lastBytes.length, Report.againstCap(busiest, cap));
  }
}
