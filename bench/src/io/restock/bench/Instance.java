package io.restock.bench;

import java.net.URI;
import java.nio.file.Path;

/** One service JVM the benchmark started, with the files it writes. */
record Instance(int index, int port, Process process, Path log, Path gcLog, long startedNanos) {
  URI base() {
    return URI.create("http://127.0.0.1:" + port);
  }
}
