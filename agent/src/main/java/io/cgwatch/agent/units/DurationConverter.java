package io.cgwatch.agent.units;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as Prometheus writes them: {@code 100ms}, {@code 15s}, {@code 5m}, {@code 1h30m}, {@code 2d}. */
public final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern WHOLE = Pattern.compile("(\\d+(ms|s|m|h|d))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /** The longest duration any setting takes: ten years. Longer ones overflow the millisecond and nanosecond timers. */
  public static final Duration MAX = Duration.ofDays(3650);

  public static Duration parse(String value) {
    if (value == null || !WHOLE.matcher(value).matches()) {
      throw new TypeConversionException("'" + (value == null ? null : abbreviate(value)) + "' is not a duration like 100ms, 15s, 5m, 1h30m or 2d");
    }
    Duration d = Duration.ZERO;
    Matcher m = PART.matcher(value);
    try {
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        d = d.plus(switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        });
      }
    } catch (NumberFormatException | ArithmeticException e) {
      d = null; // digits past Long.MAX_VALUE, or a sum past Duration's range
    }
    if (d == null || d.compareTo(MAX) > 0) {
      throw new TypeConversionException("'" + abbreviate(value) + "' is too long: at most 3650d (ten years)");
    }
    return d;
  }

  /** {@link #parse(String)}, with the flag or config key named in the error. */
  public static Duration parse(String key, String value) {
    try {
      return parse(value);
    } catch (TypeConversionException e) {
      throw new TypeConversionException(key + ": " + e.getMessage());
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "... (" + s.length() + " characters)";
  }
}
