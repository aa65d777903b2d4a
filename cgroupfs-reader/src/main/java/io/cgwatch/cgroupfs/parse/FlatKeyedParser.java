package io.cgwatch.cgroupfs.parse;

import io.cgwatch.model.KeyedCounters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Flat-keyed files: one {@code <key> <integer>} per line ({@code cgroup.stat}, {@code cgroup.events},
 * {@code memory.stat}, {@code memory.events}, v1 {@code memory.stat}).
 *
 * <p>Keys are looked up by name because the kernel adds keys in the middle across versions; unknown keys are
 * kept; a key the kernel did not print is absent from the map, never zero. The map is sorted by key so output
 * built from it is stable.
 */
public final class FlatKeyedParser {
  /** Key layouts seen lately (memory.stat, cgroup.stat, memory.events, ... of this kernel); a few suffice. */
  private static final int LAYOUTS = 16;
  private static final AtomicReferenceArray<KeyedCounters.Keys> RECENT = new AtomicReferenceArray<>(LAYOUTS);
  private static final AtomicInteger NEXT_SLOT = new AtomicInteger();
  /** Per thread: where each line's key and value are, so a file is scanned once. */
  private static final ThreadLocal<int[]> SCRATCH_POSITIONS = ThreadLocal.withInitial(() -> new int[3 * 128]);
  private static final ThreadLocal<long[]> SCRATCH_VALUES = ThreadLocal.withInitial(() -> new long[128]);

  private FlatKeyedParser() {}

  /**
   * The file's keys and values. The common case allocates one array and the map around it: keys are
   * matched against the layouts of earlier files (the kernel prints the same keys in the same order for every
   * cgroup) instead of being built as Strings. Anything unusual, malformed content included, takes
   * {@link #parseOneByOne}, which decides what is malformed and how the error reads.
   */
  public static Map<String, Long> parse(String content) throws MalformedFileException {
    int len = content.length();
    int[] pos = SCRATCH_POSITIONS.get();
    long[] vals = SCRATCH_VALUES.get();
    int n = 0;
    int start = 0;
    while (start < len) {
      int end = content.indexOf('\n', start);
      if (end < 0) {
        end = len;
      }
      if (end > start) {
        int space = content.indexOf(' ', start);
        if (space <= start || space >= end || !isLong(content, space + 1, end)) {
          return parseOneByOne(content); // malformed: let the careful path say how
        }
        if (n == vals.length) {
          pos = Arrays.copyOf(pos, pos.length * 2);
          vals = Arrays.copyOf(vals, vals.length * 2);
          SCRATCH_POSITIONS.set(pos);
          SCRATCH_VALUES.set(vals);
        }
        pos[3 * n] = start;
        pos[3 * n + 1] = space;
        vals[n] = parseLong(content, space + 1, end);
        n++;
      }
      start = end + 1;
    }
    KeyedCounters.Keys keys = recentLayout(content, pos, n);
    if (keys == null) {
      List<String> names = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        names.add(content.substring(pos[3 * i], pos[3 * i + 1]));
      }
      if (new HashSet<>(names).size() != n) {
        return parseOneByOne(content); // a key twice: malformed
      }
      keys = new KeyedCounters.Keys(names);
      RECENT.set(Math.floorMod(NEXT_SLOT.getAndIncrement(), LAYOUTS), keys);
    }
    return KeyedCounters.fromLines(keys, vals, n);
  }

  /**
   * {@link #parse(String)} of the bytes' UTF-8 decoding, without decoding them in the common case: every line
   * {@code <key> <integer>} with the keys of a layout seen before. Anything else (a new layout, malformed or
   * non-ASCII content) decodes the bytes and takes {@link #parse(String)}, so the result and every error are the
   * String parser's ({@code BytesParsersTest} checks both on every fixture and on damaged copies).
   */
  public static Map<String, Long> parseBytes(byte[] content, int len) throws MalformedFileException {
    int[] pos = SCRATCH_POSITIONS.get();
    long[] vals = SCRATCH_VALUES.get();
    int n = 0;
    int start = 0;
    while (start < len) {
      int end = indexOf(content, (byte) '\n', start, len);
      if (end > start) {
        int space = indexOf(content, (byte) ' ', start, end);
        if (space == start || space == end || !isLong(content, space + 1, end) || n == vals.length) {
          return slow(content, len);
        }
        pos[3 * n] = start;
        pos[3 * n + 1] = space;
        vals[n] = parseLong(content, space + 1, end);
        n++;
      }
      start = end + 1;
    }
    KeyedCounters.Keys keys = recentLayout(content, pos, n);
    if (keys == null) {
      return slow(content, len); // a layout not seen yet: the String parser learns it
    }
    return KeyedCounters.fromLines(keys, vals, n);
  }

  private static Map<String, Long> slow(byte[] content, int len) throws MalformedFileException {
    return parse(new String(content, 0, len, StandardCharsets.UTF_8));
  }

  /** The first {@code b} in {@code a[from, to)}, or {@code to}. */
  static int indexOf(byte[] a, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return to;
  }

  private static KeyedCounters.Keys recentLayout(byte[] content, int[] pos, int n) {
    for (int slot = 0; slot < LAYOUTS; slot++) {
      KeyedCounters.Keys k = RECENT.get(slot);
      if (k != null && matches(k, content, pos, n)) {
        return k;
      }
    }
    return null;
  }

  private static boolean matches(KeyedCounters.Keys k, byte[] content, int[] pos, int n) {
    if (k.size() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!k.keyOfLineIs(i, content, pos[3 * i], pos[3 * i + 1])) {
        return false;
      }
    }
    return true;
  }

  /** {@link #isLong(String, int, int)} on ASCII bytes. */
  static boolean isLong(byte[] s, int from, int to) {
    int len = to - from;
    if (len == 0 || len > 20) {
      return false;
    }
    int i = from;
    if (s[i] == '-') {
      if (len == 1) {
        return false;
      }
      i++;
    }
    long result = 0;
    for (; i < to; i++) {
      int digit = s[i] - '0';
      if (digit < 0 || digit > 9) {
        return false;
      }
      if (result > (Long.MAX_VALUE - digit) / 10) {
        return false;
      }
      result = result * 10 + digit;
    }
    return true;
  }

  /** Only after {@link #isLong(byte[], int, int)} said yes. */
  static long parseLong(byte[] s, int from, int to) {
    boolean negative = s[from] == '-';
    long result = 0;
    for (int i = negative ? from + 1 : from; i < to; i++) {
      result = result * 10 + (s[i] - '0');
    }
    return negative ? -result : result;
  }

  private static KeyedCounters.Keys recentLayout(String content, int[] pos, int n) {
    for (int slot = 0; slot < LAYOUTS; slot++) {
      KeyedCounters.Keys k = RECENT.get(slot);
      if (k != null && matches(k, content, pos, n)) {
        return k;
      }
    }
    return null;
  }

  private static boolean matches(KeyedCounters.Keys k, String content, int[] pos, int n) {
    if (k.size() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      String key = k.keyOfLine(i);
      int from = pos[3 * i];
      if (key.length() != pos[3 * i + 1] - from || !content.regionMatches(from, key, 0, key.length())) {
        return false;
      }
    }
    return true;
  }

  /** The same rule as {@link Numbers#parseLong(String)}: an optional '-', 1 to 19 digits, no overflow. */
  private static boolean isLong(String s, int from, int to) {
    int len = to - from;
    if (len == 0 || len > 20) {
      return false;
    }
    int i = from;
    if (s.charAt(i) == '-') {
      if (len == 1) {
        return false;
      }
      i++;
    }
    long result = 0;
    for (; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      int digit = c - '0';
      if (result > (Long.MAX_VALUE - digit) / 10) {
        return false;
      }
      result = result * 10 + digit;
    }
    return true;
  }

  /** Only after {@link #isLong} said yes. */
  private static long parseLong(String s, int from, int to) {
    boolean negative = s.charAt(from) == '-';
    long result = 0;
    for (int i = negative ? from + 1 : from; i < to; i++) {
      result = result * 10 + (s.charAt(i) - '0');
    }
    return negative ? -result : result;
  }

  /** Line by line into a sorted map; the reference for what is malformed, and the path for unusual files. */
  static Map<String, Long> parseOneByOne(String content) throws MalformedFileException {
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
