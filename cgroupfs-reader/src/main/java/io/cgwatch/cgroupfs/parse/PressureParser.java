package io.cgwatch.cgroupfs.parse;

import io.cgwatch.model.Pressure;
import io.cgwatch.model.PsiLine;
import java.util.Optional;

/**
 * PSI files ({@code memory.pressure}, {@code cpu.pressure}, {@code io.pressure}, {@code irq.pressure}):
 * <pre>
 * some avg10=0.00 avg60=0.00 avg300=0.00 total=0
 * full avg10=0.00 avg60=0.00 avg300=0.00 total=0
 * </pre>
 * {@code total} is microseconds and becomes seconds here, the one place PSI units change. Extra key=value
 * fields are ignored so a future kernel field does not lose the file.
 */
public final class PressureParser {
  private static final double MICROS_PER_SECOND = 1_000_000.0;

  private PressureParser() {}

  /**
   * {@link #parse(String)} of the bytes' UTF-8 decoding. The kernel's exact layout (a {@code some} line, then
   * optionally a {@code full} line, each {@code avg10= avg60= avg300= total=} in that order) is parsed in place;
   * anything else, including an extra field, goes through the String parser (same values, same errors).
   */
  public static Pressure parseBytes(byte[] content, int len) throws MalformedFileException {
    Pressure fast = CURSOR.get().over(content, len).parse();
    return fast != null ? fast : parse(new String(content, 0, len, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** One cursor per thread, reset per file: three PSI files per cgroup need no cursor object each (issue 16). */
  private static final ThreadLocal<BytesLines> CURSOR = ThreadLocal.withInitial(BytesLines::new);

  /**
   * A cursor over the kernel's layout; every step answers null (not the layout) rather than throwing. Holds the
   * file only between {@link #over} and the end of {@link #parse}.
   */
  private static final class BytesLines {
    private static final byte[] SOME = "some avg10=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] FULL = "full avg10=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] AVG60 = " avg60=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] AVG300 = " avg300=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TOTAL = " total=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private byte[] b;
    private int len;
    private int at;

    BytesLines over(byte[] content, int length) {
      b = content;
      len = length;
      at = 0;
      return this;
    }

    Pressure parse() {
      try {
        PsiLine some = line(SOME);
        if (some == null) {
          return null;
        }
        if (at == len) {
          return new Pressure(Optional.of(some), Optional.empty());
        }
        PsiLine full = line(FULL);
        return full != null && at == len ? new Pressure(Optional.of(some), Optional.of(full)) : null;
      } finally {
        b = null; // the scan's buffer is not kept alive by a thread's cursor
      }
    }

    private PsiLine line(byte[] head) {
      if (!literal(head)) {
        return null;
      }
      double avg10 = percent();
      if (avg10 < 0 || !literal(AVG60)) {
        return null;
      }
      double avg60 = percent();
      if (avg60 < 0 || !literal(AVG300)) {
        return null;
      }
      double avg300 = percent();
      if (avg300 < 0 || !literal(TOTAL)) {
        return null;
      }
      int from = at;
      while (at < len && b[at] != '\n') {
        at++;
      }
      if (at == from || b[from] == '-' || !FlatKeyedParser.isLong(b, from, at)) {
        return null;
      }
      long total = FlatKeyedParser.parseLong(b, from, at);
      if (at < len) {
        at++; // the newline
      }
      return new PsiLine(avg10, avg60, avg300, total / MICROS_PER_SECOND);
    }

    private boolean literal(byte[] expected) {
      if (len - at < expected.length || !java.util.Arrays.equals(b, at, at + expected.length, expected, 0,
          expected.length)) {
        return false;
      }
      at += expected.length;
      return true;
    }

    /**
     * 1 to 3 digits, a dot, 1 or 2 digits, at most 100, or -1. The quotient of two exact integers is correctly
     * rounded, so it is the double Double.parseDouble gives for the same text.
     */
    private double percent() {
      long scaled = 0;
      int intDigits = 0;
      while (at < len && b[at] >= '0' && b[at] <= '9' && intDigits < 4) {
        scaled = scaled * 10 + (b[at++] - '0');
        intDigits++;
      }
      if (intDigits == 0 || intDigits > 3 || at == len || b[at] != '.') {
        return -1;
      }
      at++;
      int fracDigits = 0;
      while (at < len && b[at] >= '0' && b[at] <= '9' && fracDigits < 3) {
        scaled = scaled * 10 + (b[at++] - '0');
        fracDigits++;
      }
      if (fracDigits == 0 || fracDigits > 2) {
        return -1;
      }
      double percent = scaled / (fracDigits == 1 ? 10.0 : 100.0);
      return percent > 100 ? -1 : percent;
    }
  }

  public static Pressure parse(String content) throws MalformedFileException {
    Optional<PsiLine> some = Optional.empty();
    Optional<PsiLine> full = Optional.empty();
    String[] lines = content.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("some ")) {
        some = Optional.of(parseLine(i + 1, line));
      } else if (line.startsWith("full ")) {
        full = Optional.of(parseLine(i + 1, line));
      } else {
        throw MalformedFileException.atLine(i + 1, "'some ...' or 'full ...'", line);
      }
    }
    if (some.isEmpty() && full.isEmpty()) {
      throw new MalformedFileException("no 'some' or 'full' line");
    }
    return new Pressure(some, full);
  }

  private static PsiLine parseLine(int lineNumber, String line) throws MalformedFileException {
    Double avg10 = null;
    Double avg60 = null;
    Double avg300 = null;
    Long total = null;
    for (String field : line.substring(5).split(" ")) {
      int eq = field.indexOf('=');
      if (eq <= 0) {
        throw MalformedFileException.atLine(lineNumber, "'key=value' fields", line);
      }
      String key = field.substring(0, eq);
      String value = field.substring(eq + 1);
      switch (key) {
        case "avg10" -> avg10 = parsePercent(lineNumber, line, value);
        case "avg60" -> avg60 = parsePercent(lineNumber, line, value);
        case "avg300" -> avg300 = parsePercent(lineNumber, line, value);
        case "total" -> {
          total = Numbers.parseLong(value);
          if (total == null || total < 0) {
            throw MalformedFileException.atLine(lineNumber, "total=<microseconds>", line);
          }
        }
        default -> { } // a field a future kernel adds
      }
    }
    if (avg10 == null || avg60 == null || avg300 == null || total == null) {
      throw MalformedFileException.atLine(lineNumber, "avg10=, avg60=, avg300= and total=", line);
    }
    return new PsiLine(avg10, avg60, avg300, total / MICROS_PER_SECOND);
  }

  private static double parsePercent(int lineNumber, String line, String value) throws MalformedFileException {
    // The kernel prints "%lu.%02lu": digits, a dot, two digits, at most 100.00. Without the bound a long run of
    // digits parsed as Infinity (found by fuzzing).
    int dot = value.indexOf('.');
    if (dot <= 0 || dot > 3 || value.length() - dot > 3 || !Numbers.isUnsignedDecimal(value.substring(0, dot))
        || !Numbers.isUnsignedDecimal(value.substring(dot + 1))) {
      throw MalformedFileException.atLine(lineNumber, "a percentage like 1.25", line);
    }
    double percent = Double.parseDouble(value);
    if (percent > 100) {
      throw MalformedFileException.atLine(lineNumber, "a percentage of at most 100.00", line);
    }
    return percent;
  }
}
