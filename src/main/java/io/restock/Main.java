package io.restock;

import io.restock.infra.Config;

public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Config config;
    try {
      config = Config.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("Bad configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    RestockApp app = new RestockApp(config).start(config.port());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        app.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "shutdown"));
    // A schema that cannot be migrated on a MySQL that answers will not migrate later either:
    // exit, so the operator or the orchestrator sees it, rather than serve 503 for ever.
    app.engineStarted().exceptionally(failure -> {
      System.exit(1);
      return null;
    });
  }
}
