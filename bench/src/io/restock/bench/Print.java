package io.restock.bench;

import java.util.Locale;

/** One line on standard output; figures always with a '.' decimal point, whatever the locale. */
final class Print {
  private Print() {}

  static void line(String format, Object... args) {
    System.out.println(format(format, args));
  }

  static String format(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
