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
    try (WebhookReceiver receiver = new WebhookReceiver().warmedUp()) {
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

        // Shared from the moment both are sending: the two instances take up their jobs a few
        // tens of milliseconds apart, and the one that starts first is ahead by that much.
        List<WebhookReceiver.Delivery> inOrder = all.stream()
            .sorted(Comparator.comparingLong(WebhookReceiver.Delivery::arrivedNanos)).toList();
        long bothSending = all.stream().filter(d -> d.productId() == hats)
            .mapToLong(WebhookReceiver.Delivery::arrivedNanos).min().getAsLong();
        bothSending = Math.max(bothSending, all.stream().filter(d -> d.productId() == shoes)
            .mapToLong(WebhookReceiver.Delivery::arrivedNanos).min().getAsLong());
        long start = bothSending;
        List<WebhookReceiver.Delivery> shared = inOrder.stream()
            .filter(d -> d.arrivedNanos() >= start).limit(1_000).toList();
        long shoesShare = shared.stream().filter(d -> d.productId() == shoes).count();
        assertTrue(shoesShare >= 400 && shoesShare <= 600, "not a fair share: " + shoesShare
            + " of the first 1000 messages once both were sending were for one product");
      }
    }
  }
}
