package io.restock.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restock.support.Api;
import io.restock.support.RunningApp;
import io.restock.support.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Two instances on one MySQL and one Redis behave as one service. */
class TwoInstancesTest {
  @Test
  void racing_triggers_and_resends_across_instances_start_one_round_sent_by_one_owner()
      throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Map<String, String> config = Map.of("NOTIFIER_WEBHOOK_URL", receiver.url(),
          "NOTIFY_RATE_PER_SEC", "2000", "NOTIFIER_CONCURRENCY", "4");
      try (RunningApp one = RunningApp.start(config);
          RunningApp two = RunningApp.startAnother(config)) {
        List<Api> apis = List.of(one.api(), two.api());
        List<Long> products = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          long id = one.api().createProduct("Twin-" + i, 5);
          one.api().subscribeRange(id, 1, 400);
          products.add(id);
        }

        receiver.delay(20); // rounds of a few seconds: every racing request meets a live round
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Callable<String>> requests = new ArrayList<>();
        for (long product : products) {
          for (int i = 0; i < 6; i++) {
            Api api = apis.get(i % 2);
            String path = (i % 3 == 2 ? "/admin" : "") + "/products/" + product + "/notifications/re-stock";
            requests.add(() -> product + ":" + api.post(path, null).status());
          }
        }
        List<String> answers = new ArrayList<>();
        for (Future<String> f : pool.invokeAll(requests)) {
          answers.add(f.get());
        }
        pool.shutdown();
        receiver.delay(0);

        for (long product : products) {
          List<String> started = answers.stream().filter(a -> a.equals(product + ":202")).toList();
          assertEquals(1, started.size(), "product " + product + ": " + answers);
          assertEquals("COMPLETED",
              one.api().awaitRoundEnd(product, Duration.ofSeconds(30)).get("status").asText());
          assertEquals(1, two.api().get("/products/" + product + "/notifications").json().size());
          assertEquals(new RoundHistory(400, 400), RoundHistory.of(product, 1));
        }
        Map<String, Long> perKey = receiver.accepted().stream()
            .collect(Collectors.groupingBy(WebhookReceiver.Delivery::key, Collectors.counting()));
        assertEquals(1_600, perKey.size());
        assertEquals(List.of(), perKey.entrySet().stream().filter(e -> e.getValue() > 1).toList());
      }
    }
  }
}
