package io.restock.bench;

import static io.restock.bench.BenchFailure.EXIT_FAILED;
import static io.restock.bench.BenchFailure.EXIT_OK;
import static io.restock.bench.BenchFailure.EXIT_USAGE;

import java.nio.file.Path;

/**
 * End-to-end benchmark of the restock notifier: starts a webhook receiver and K service instances
 * on a database and Redis db of its own, restocks P products with N subscribers each at the same
 * moment, watches the rounds finish and reports what arrived at the receiver — the rate the
 * service promises is counted where messages arrive, so that is where it is measured.
 *
 * <p>Run it with bench/restock-bench.sh, which builds the jar, compiles this package and runs it
 * from the repository root. Only the JDK is used.
 */
public final class RestockBench {
  /** Where the run writes its logs, the service's private jar copy and arrivals.csv. */
  static final Path OUT = Path.of("bench", "out");

  private RestockBench() {}

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      if (Options.HELP.equals(e.getMessage())) {
        System.out.println(Options.USAGE);
        System.exit(EXIT_OK);
      }
      System.err.println("error: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(EXIT_USAGE);
      return;
    }
    int code;
    try {
      code = new BenchRun(options).run();
    } catch (BenchFailure e) {
      System.err.println("BENCH FAILED: " + e.getMessage());
      code = e.exitCode;
    } catch (Exception e) {
      System.err.println("BENCH FAILED: " + e);
      e.printStackTrace();
      code = EXIT_FAILED;
    }
    System.exit(code);
  }
}
