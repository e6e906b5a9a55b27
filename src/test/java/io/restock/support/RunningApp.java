package io.restock.support;

import io.restock.RestockApp;
import io.restock.access.Role;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real service started in this JVM on a free port, against the test MySQL and Redis. */
public final class RunningApp implements AutoCloseable {
  private final RestockApp app;
  private final Api api;

  private RunningApp(RestockApp app) {
    this.app = app;
    this.api = new Api(app.port());
  }

  /** Empties the test database and Redis, then starts an instance. */
  public static RunningApp start(Map<String, String> overrides) {
    TestServices.get().clean();
    return startAnother(overrides);
  }

  /** Starts one more instance on the same data, as a second node of the service. */
  public static RunningApp startAnother(Map<String, String> overrides) {
    RestockApp app = new RestockApp(TestServices.get().config(overrides)).start(0);
    // As a test expects it: the schema migrated and the consumers running.
    app.engineStarted().orTimeout(30, TimeUnit.SECONDS).join();
    return new RunningApp(app);
  }

  public Map<String, Role> routes() {
    return app.routes();
  }

  public Api api() {
    return api;
  }

  @Override
  public void close() throws InterruptedException {
    app.close();
  }
}
