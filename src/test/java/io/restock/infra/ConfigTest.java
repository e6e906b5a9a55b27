package io.restock.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up numbers that the service multiplies into thread and pool sizes. */
class ConfigTest {
  @Test
  void sender_threads_past_the_cap_are_refused_before_their_product_wraps() {
    // 100000 x 100000 wraps an int to 1410065408: a positive, plausible-looking thread count.
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnv(Map.of("NOTIFIER_CONCURRENCY", "100000", "WORKER_THREADS", "100000")));
    assertTrue(refused.getMessage().contains("NOTIFIER_CONCURRENCY"), refused.getMessage());

    assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnv(Map.of("WORKER_THREADS", Integer.toString(Integer.MAX_VALUE))));
  }

  @Test
  void sender_threads_up_to_the_cap_are_taken() {
    Config config = Config.fromEnv(Map.of("NOTIFIER_CONCURRENCY", "100", "WORKER_THREADS", "100"));
    assertEquals(100, config.notifierConcurrency());
    assertEquals(100, config.workerThreads());
  }
}
