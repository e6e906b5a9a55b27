package io.restock.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restock.support.Api;
import io.restock.support.RunningApp;
import io.restock.support.WebhookReceiver;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two instances, two products, one cap: the messages arriving at the receiver never exceed the cap
 * in any 1-second window, and both products advance together. Run at a raised cap to stay short.
 */
class GlobalRateCapTest {
  private static final int CAP = 1_000;

  @Test
  void two_instances_sending_two_products_stay_under_one_shared_cap() throws Exception {
    Map<String, String> config;
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      config = Map.of("NOTIFIER_WEBHOOK_URL", receiver.url(),
          "NOTIFY_RATE_PER_SEC", Integer.toString(CAP), "WORKER_THREADS", "1");
      try (RunningApp first = RunningApp.start(config);
          RunningApp second = RunningApp.startAnother(config)) {
        Api a = first.api();
        Api b = second.api();
        long shoes = a.createProduct("Shoes", 0);
        long hats = a.createProduct("Hats", 0);
        a.subscribeRange(shoes, 1, 1_200);
        a.subscribeRange(hats, 1, 1_200);

        assertEquals(202, a.post("/products/" + shoes + "/notifications/re-stock", "{\"quantity\":1}").status());
        assertEquals(202, b.post("/products/" + hats + "/notifications/re-stock", "{\"quantity\":1}").status());
        assertEquals("COMPLETED", a.awaitRoundEnd(shoes, Duration.ofSeconds(30)).get("status").asText());
        assertEquals("COMPLETED", b.awaitRoundEnd(hats, Duration.ofSeconds(30)).get("status").asText());

        List<WebhookReceiver.Delivery> all = receiver.accepted();
        assertEquals(2_400, all.size());
        int busiestSecond = WebhookReceiver.maxInWindow(all, 1_000_000_000L);
        assertTrue(busiestSecond <= CAP, busiestSecond + " messages arrived within one second");

        List<WebhookReceiver.Delivery> firstHalf = all.stream()
            .sorted(Comparator.comparingLong(WebhookReceiver.Delivery::arrivedNanos))
            .limit(1_200).toList();
        long shoesEarly = firstHalf.stream().filter(d -> d.productId() == shoes).count();
        assertTrue(shoesEarly >= 480 && shoesEarly <= 720,
            "not a fair share: " + shoesEarly + " of the first 1200 messages were for one product");
      }
    }
  }
}
