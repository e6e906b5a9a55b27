package io.restock.bench;

import java.time.Duration;
import java.time.LocalDateTime;

/** One round as GET /products/{id}/notifications shows it. */
record Round(int restockRound, String status, String lastNotifiedUserId, long notifiedCount,
    long totalSubscribers, String startedAt, String finishedAt, long wavesSent, String nextWaveAt) {
  boolean finished() {
    return !"IN_PROGRESS".equals(status);
  }

  /** Start to end of the round as the service recorded them (UTC, microseconds). */
  double seconds() {
    return Duration.between(LocalDateTime.parse(startedAt), LocalDateTime.parse(finishedAt)).toNanos() / 1e9;
  }

  static Round parse(String json) {
    return new Round((int) MiniJson.number(json, "restockRound"), MiniJson.raw(json, "status"),
        MiniJson.raw(json, "lastNotifiedUserId"), MiniJson.number(json, "notifiedCount"),
        MiniJson.number(json, "totalSubscribers"), MiniJson.raw(json, "startedAt"),
        MiniJson.raw(json, "finishedAt"), MiniJson.number(json, "wavesSent"),
        MiniJson.raw(json, "nextWaveAt"));
  }
}
