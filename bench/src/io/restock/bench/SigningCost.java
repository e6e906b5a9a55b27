package io.restock.bench;

import static io.restock.bench.Print.line;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What signing the webhooks cost each instance during the rounds, as the service measures it
 * around its own signer (the timer restock_webhook_signing_seconds): read at the trigger and at
 * the end, so the warm-up's signatures (and the first, cold ones) are not counted.
 */
record SigningCost(Map<Integer, Reading> atTrigger, Map<Integer, Reading> atEnd, int secrets) {
  /** The timer's count and total at one moment; null where the instance does not have it. */
  record Reading(double count, double seconds) {}

  private static final Pattern COUNT = Pattern.compile("(?m)^restock_webhook_signing_seconds_count(?:\\{[^}]*})? (\\S+)$");
  private static final Pattern SUM = Pattern.compile("(?m)^restock_webhook_signing_seconds_sum(?:\\{[^}]*})? (\\S+)$");

  /** The number of secrets NOTIFIER_WEBHOOK_SECRET gives the service (never the secrets). */
  static int secretsInEnvironment() {
    String secrets = System.getenv().getOrDefault("NOTIFIER_WEBHOOK_SECRET", "").strip();
    return secrets.isEmpty() ? 0 : secrets.split("\\s+").length;
  }

  static Map<Integer, Reading> readAll(Api api, List<Instance> instances) throws IOException {
    Map<Integer, Reading> readings = new LinkedHashMap<>();
    for (Instance instance : instances) {
      String metrics = api.metrics(instance);
      Matcher count = COUNT.matcher(metrics);
      Matcher sum = SUM.matcher(metrics);
      readings.put(instance.index(), count.find() && sum.find()
          ? new Reading(Double.parseDouble(count.group(1)), Double.parseDouble(sum.group(1))) : null);
    }
    return readings;
  }

  void print(long signedRequests, long requests) {
    if (secrets == 0) {
      line("webhook signing: off (NOTIFIER_WEBHOOK_SECRET not set); signed requests at the receiver: %d of %d",
          signedRequests, requests);
      return;
    }
    line("webhook signing: %d secret(s); signed requests at the receiver: %d of %d", secrets,
        signedRequests, requests);
    atEnd.forEach((k, end) -> {
      Reading start = atTrigger.get(k);
      if (start == null || end == null) {
        line("instance %d signing cost: not measured (no restock_webhook_signing_seconds in /metrics)", k);
        return;
      }
      if (end.count() == start.count()) {
        line("instance %d signing cost: no signature during the rounds", k);
        return;
      }
      double signatures = end.count() - start.count();
      line("instance %d signing cost: %.2f us per message (HMAC-SHA256 x %d) over %.0f signatures",
          k, 1e6 * (end.seconds() - start.seconds()) / signatures, secrets, signatures);
    });
  }
}
