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
