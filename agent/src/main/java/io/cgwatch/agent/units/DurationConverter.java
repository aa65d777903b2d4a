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

  public static Duration parse(String value) {
    if (value == null || !WHOLE.matcher(value).matches()) {
      throw new TypeConversionException("'" + value + "' is not a duration like 100ms, 15s, 5m, 1h30m or 2d");
    }
    Duration d = Duration.ZERO;
    Matcher m = PART.matcher(value);
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
    return d;
  }
}
