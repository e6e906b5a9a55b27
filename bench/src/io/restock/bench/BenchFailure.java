package io.restock.bench;

/** A run that cannot go on; carries the exit code to end with. */
final class BenchFailure extends RuntimeException {
  // Exit codes: one per way a run can fail, so a script can tell them apart.
  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_START = 3;
  static final int EXIT_TIMEOUT = 4;

  final int exitCode;

  BenchFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }
}
