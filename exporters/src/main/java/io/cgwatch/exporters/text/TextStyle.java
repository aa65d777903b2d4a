package io.cgwatch.exporters.text;

/**
 * How the text report looks on its output: colour (only on a terminal, never with {@code NO_COLOR} or
 * {@code --no-color}) and the width to fit (0: no limit, as for files and pipes).
 */
public record TextStyle(boolean color, int width) {
  public static final TextStyle PLAIN = new TextStyle(false, 0);

  private static final String RESET = "\u001b[0m";

  /** The verdict word, coloured by severity when colour is on. */
  String verdict(String verdict) {
    String word = verdict.toUpperCase(java.util.Locale.ROOT);
    if (!color) {
      return word;
    }
    String code = switch (verdict) {
      case "ok" -> "\u001b[32m";
      case "warning" -> "\u001b[33m";
      case "critical" -> "\u001b[1;31m";
      default -> "\u001b[35m";
    };
    return code + word + RESET;
  }

  /** A heading, bold when colour is on. */
  String heading(String text) {
    return color ? "\u001b[1m" + text + RESET : text;
  }

  /** Wraps a paragraph at the width (no limit: one line), continuation lines indented. */
  String wrap(String text, String indent) {
    if (width <= 0 || indent.length() + text.length() <= width) {
      return indent + text;
    }
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split(" ")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
        out.append(line).append('\n');
        line = new StringBuilder(indent + "  ");
      }
      if (line.length() > indent.length() && !line.toString().endsWith(" ")) {
        line.append(' ');
      }
      line.append(word);
    }
    return out.append(line).toString();
  }

  /** Shortens a line to the width, keeping its start (the numbers) and marking the cut. */
  String fit(String line) {
    if (width <= 0 || line.codePointCount(0, line.length()) <= width) {
      return line;
    }
    int cut = line.offsetByCodePoints(0, Math.max(1, width - 1));
    return line.substring(0, cut) + "~";
  }
}
