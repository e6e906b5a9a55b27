package io.restock.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal JSON reading: the service's answers are flat objects (or lists of them), so a field can
 * be picked out with a pattern; this keeps the benchmark free of libraries.
 */
final class MiniJson {
  private static final Pattern OBJECT = Pattern.compile("\\{[^{}]*\\}");

  private MiniJson() {}

  static String raw(String json, String field) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(field)
        + "\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?|true|false|null)").matcher(json);
    if (!m.find()) {
      return null;
    }
    String v = m.group(1);
    return v.startsWith("\"") ? v.substring(1, v.length() - 1) : v.equals("null") ? null : v;
  }

  static long number(String json, String field) {
    String v = raw(json, field);
    if (v == null) {
      throw new IllegalStateException("no number '" + field + "' in " + abbreviate(json));
    }
    return Long.parseLong(v);
  }

  /** The first object of a JSON list, or null for an empty list. */
  static String firstObject(String jsonList) {
    Matcher m = OBJECT.matcher(jsonList);
    return m.find() ? m.group() : null;
  }

  static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }
}
