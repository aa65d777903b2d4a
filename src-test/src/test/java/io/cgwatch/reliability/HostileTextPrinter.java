package io.cgwatch.reliability;

/** Shows a fuzz input in a failure message: escaped, and cut so a 1 MiB input does not flood the log. */
final class HostileTextPrinter {
  private static final int MAX = 400;

  private HostileTextPrinter() {}

  static String show(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < Math.min(s.length(), MAX); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == '"') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c >= 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
    if (s.length() > MAX) {
      sb.append(" ... (").append(s.length()).append(" chars)");
    }
    return sb.toString();
  }
}
