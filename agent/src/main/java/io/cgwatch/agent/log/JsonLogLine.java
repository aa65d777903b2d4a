package io.cgwatch.agent.log;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * A log line as JSON, for the types the agent logs, exactly as Jackson's default {@code ObjectMapper} writes them
 * (so the lines did not change when {@link JsonLog} stopped loading Jackson): strings with {@code "}, {@code \}
 * and the control characters escaped ({@code \b \t \n \f \r} short, the others {@code \}{@code u00XX} in upper
 * case; nothing else, non-ASCII stays as it is), integers in decimal, doubles and floats as {@code Double.toString}
 * (NaN and the infinities as strings), booleans, null, maps (keys as strings, in their order) and collections.
 * Anything else is left to Jackson: {@link #write} is then empty.
 */
final class JsonLogLine {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private JsonLogLine() {}

  static Optional<String> write(Map<String, ?> line) {
    StringBuilder b = new StringBuilder(256);
    return value(b, line) ? Optional.of(b.toString()) : Optional.empty();
  }

  /** Appends {@code v}; false for a type this writer does not know (the caller then leaves the line to Jackson). */
  private static boolean value(StringBuilder b, Object v) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      string(b, s);
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
        || v instanceof Byte) {
      b.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        string(b, v.toString()); // Jackson's default: NaN and infinities as strings
      } else {
        b.append(v); // Double.toString or Float.toString, as Jackson
      }
    } else if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          return false; // Jackson has its own rules for other keys (null, enums, dates)
        }
        if (!first) {
          b.append(',');
        }
        first = false;
        string(b, key);
        b.append(':');
        if (!value(b, e.getValue())) {
          return false;
        }
      }
      b.append('}');
    } else if (v instanceof Collection<?> c) {
      b.append('[');
      boolean first = true;
      for (Object o : c) {
        if (!first) {
          b.append(',');
        }
        first = false;
        if (!value(b, o)) {
          return false;
        }
      }
      b.append(']');
    } else {
      return false;
    }
    return true;
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\f' -> b.append("\\f");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20) {
            b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
