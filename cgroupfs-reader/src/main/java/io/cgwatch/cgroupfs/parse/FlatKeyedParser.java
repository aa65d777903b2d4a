package io.cgwatch.cgroupfs.parse;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flat-keyed files: one {@code <key> <integer>} per line ({@code cgroup.stat}, {@code cgroup.events},
 * {@code memory.stat}, {@code memory.events}, v1 {@code memory.stat}).
 *
 * <p>Keys are looked up by name because the kernel adds keys in the middle across versions; unknown keys are
 * kept; a key the kernel did not print is absent from the map, never zero. The map is sorted by key so output
 * built from it is stable.
 */
public final class FlatKeyedParser {
  private FlatKeyedParser() {}

  public static Map<String, Long> parse(String content) throws MalformedFileException {
    TreeMap<String, Long> values = new TreeMap<>();
    int lineNumber = 0;
    int start = 0;
    int len = content.length();
    while (start < len) {
      int end = content.indexOf('\n', start);
      if (end < 0) {
        end = len;
      }
      lineNumber++;
      String line = content.substring(start, end);
      start = end + 1;
      if (line.isEmpty()) {
        continue;
      }
      int space = line.indexOf(' ');
      Long value = space <= 0 ? null : Numbers.parseLong(line.substring(space + 1));
      if (value == null) {
        throw MalformedFileException.atLine(lineNumber, "'<key> <integer>'", line);
      }
      String key = line.substring(0, space);
      if (values.put(key, value) != null) {
        throw new MalformedFileException("line " + lineNumber + ": key " + MalformedFileException.quote(key)
            + " appears twice");
      }
    }
    return Collections.unmodifiableMap(values);
  }
}
