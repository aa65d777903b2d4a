package io.cgwatch.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strict reader of what {@code /metrics} serves, for tests that look at samples rather than text. */
public final class ExpositionParser {
  private ExpositionParser() {}

  /** One sample of an exposition: metric name and labels with escapes undone. */
  public record Sample(String name, Map<String, String> labels, String value) {
    /** The value as a number ({@code +Inf}, {@code -Inf} and {@code NaN} included). */
    public double number() {
      return switch (value) {
        case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(value.split(" ")[0]);
      };
    }
  }

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /**
   * Parses text format 0.0.4 / OpenMetrics strictly, line by line: any line that is not a comment or one
   * well-formed sample fails. An injected series would show up as an extra sample or a broken line.
   */
  public static List<Sample> parse(String text) {
    List<Sample> samples = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    assertEquals("", lines[lines.length - 1], "the exposition ends with a newline");
    for (int n = 0; n < lines.length - 1; n++) {
      String line = lines[n];
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ") || line.startsWith("# UNIT ")
          || line.equals("# EOF")) {
        continue;
      }
      Matcher m = NAME.matcher(line);
      if (!m.lookingAt()) {
        fail("line " + (n + 1) + " is not a sample: " + line);
      }
      String name = m.group();
      int i = m.end();
      Map<String, String> labels = new LinkedHashMap<>();
      if (i < line.length() && line.charAt(i) == '{') {
        i++;
        while (line.charAt(i) != '}') {
          Matcher ln = LABEL_NAME.matcher(line).region(i, line.length());
          if (!ln.lookingAt() || line.charAt(ln.end()) != '=' || line.charAt(ln.end() + 1) != '"') {
            fail("line " + (n + 1) + ": bad label at " + i + ": " + line);
          }
          StringBuilder v = new StringBuilder();
          int j = ln.end() + 2;
          for (; line.charAt(j) != '"'; j++) {
            char c = line.charAt(j);
            if (c == '\\') {
              char e = line.charAt(++j);
              v.append(e == 'n' ? '\n' : e);
              if (e != 'n' && e != '\\' && e != '"') {
                fail("line " + (n + 1) + ": bad escape \\" + e + ": " + line);
              }
            } else {
              v.append(c);
            }
          }
          if (labels.put(ln.group(), v.toString()) != null) {
            fail("line " + (n + 1) + ": label " + ln.group() + " twice: " + line);
          }
          i = j + 1;
          if (line.charAt(i) == ',') {
            i++;
          }
        }
        i++;
      }
      String rest = line.substring(i);
      if (!rest.matches(" [-+]?([0-9.eE+-]+|NaN|Inf)( -?[0-9.]+)?")) {
        fail("line " + (n + 1) + ": bad value part '" + rest + "': " + line);
      }
      samples.add(new Sample(name, labels, rest.trim()));
    }
    return samples;
  }
}
