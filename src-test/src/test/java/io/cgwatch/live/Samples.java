package io.cgwatch.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of a Prometheus text exposition (format 0.0.4), parsed strictly enough that a broken line fails:
 * label values are unescaped ({@code \\}, {@code \"}, {@code \n}), and anything after the value but a timestamp
 * is an error.
 */
record Samples(List<Sample> all) {
  record Sample(String name, Map<String, String> labels, double value) {}

  static Samples parse(String text) {
    List<Sample> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        out.add(parseLine(line));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("exposition line " + lineNo + " is malformed (" + e.getMessage() + "): "
            + line, e);
      }
    }
    return new Samples(List.copyOf(out));
  }

  private static Sample parseLine(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new IllegalArgumentException("bad metric name");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String key = line.substring(i, eq);
        if (line.charAt(eq + 1) != '"') {
          throw new IllegalArgumentException("label value not quoted");
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char e = line.charAt(++j);
            value.append(e == 'n' ? '\n' : e);
          } else {
            value.append(c);
          }
        }
        labels.put(key, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    String[] rest = line.substring(i).trim().split(" ");
    if (rest.length > 2) {
      throw new IllegalArgumentException("trailing text");
    }
    return new Sample(name, labels, Double.parseDouble(rest[0]));
  }

  /** The one sample of {@code name} whose labels include {@code match}; NaN when there is none. */
  double value(String name, Map<String, String> match) {
    List<Sample> found = all.stream().filter(s -> s.name.equals(name)
        && s.labels.entrySet().containsAll(match.entrySet())).toList();
    if (found.size() > 1) {
      throw new IllegalStateException(found.size() + " samples of " + name + " match " + match);
    }
    return found.isEmpty() ? Double.NaN : found.get(0).value;
  }

  /** The sum over every sample of {@code name} (0 when there is none). */
  double sum(String name) {
    return all.stream().filter(s -> s.name.equals(name)).mapToDouble(Sample::value).sum();
  }
}
