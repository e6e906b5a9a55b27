package io.restock.support;

import io.restock.access.Role;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The service under test for one test class, in one place: started once before all its tests
 * (optionally with a webhook receiver it sends to), MySQL, Redis and the receiver emptied before
 * each test, and stopped after all. Use it as a {@code static} {@code @RegisterExtension} field.
 */
public final class ServiceExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private final Map<String, String> config;
  private final boolean webhook;
  private WebhookReceiver receiver;
  private RunningApp app;

  private ServiceExtension(Map<String, String> config, boolean webhook) {
    this.config = config;
    this.webhook = webhook;
  }

  /** The service with {@code config} on top of the test defaults. */
  public static ServiceExtension start(Map<String, String> config) {
    return new ServiceExtension(config, false);
  }

  /** The service with {@code config}, sending its messages to a {@link WebhookReceiver}. */
  public static ServiceExtension withWebhook(Map<String, String> config) {
    return new ServiceExtension(config, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Map<String, String> overrides = new HashMap<>(config);
    if (webhook) {
      receiver = new WebhookReceiver();
      overrides.put("NOTIFIER_WEBHOOK_URL", receiver.url());
    }
    app = RunningApp.start(overrides);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    TestServices.get().clean();
    if (receiver != null) {
      receiver.clear();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (app != null) {
        app.close();
      }
    } finally {
      if (receiver != null) {
        receiver.close();
      }
    }
  }

  public Api api() {
    return app.api();
  }

  /** Every route of the service under test, with the role it declares. */
  public Map<String, Role> routes() {
    return app.routes();
  }

  public WebhookReceiver receiver() {
    if (!webhook) {
      throw new IllegalStateException("started without a webhook: use ServiceExtension.withWebhook");
    }
    return receiver;
  }
}
