package io.restock.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** One wrk process's summary line (bench/wrk/common.lua), latencies in microseconds. */
record WrkResult(ApiLoad.Kind kind, long requests, long durationUs, long p50Us, long p99Us, long maxUs,
    long statusErrors, long connect, long read, long write, long timeout, Map<Integer, Long> statuses) {

  /** "WRK requests=… statuses=200:5,409:2": key=value pairs, separated by spaces. */
  static WrkResult parse(ApiLoad.Kind kind, String line) {
    Map<String, String> v = new HashMap<>();
    for (String pair : line.substring("WRK ".length()).trim().split(" ")) {
      int eq = pair.indexOf('=');
      v.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    Map<Integer, Long> statuses = new TreeMap<>();
    for (String s : v.get("statuses").split(",")) {
      if (!s.isEmpty()) {
        String[] p = s.split(":");
        statuses.put(Integer.parseInt(p[0]), Long.parseLong(p[1]));
      }
    }
    return new WrkResult(kind, n(v, "requests"), n(v, "duration_us"), n(v, "p50_us"), n(v, "p99_us"),
        n(v, "max_us"), n(v, "status_errors"), n(v, "connect"), n(v, "read"), n(v, "write"),
        n(v, "timeout"), statuses);
  }

  double perSecond() {
    return requests / (durationUs / 1e6);
  }

  /** Answers with any status but the expected one (wrk's own count takes only those >= 400). */
  long unexpected() {
    return requests - statuses.getOrDefault(kind.expectedStatus(), 0L);
  }

  long socketErrors() {
    return connect + read + write + timeout;
  }

  private static long n(Map<String, String> v, String key) {
    return Long.parseLong(v.get(key));
  }
}
