package io.cgwatch.agent.units;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  @Test
  void readsPrometheusStyleDurations() {
    assertEquals(Duration.ofMillis(100), DurationConverter.parse("100ms"));
    assertEquals(Duration.ofSeconds(15), DurationConverter.parse("15s"));
    assertEquals(Duration.ofMinutes(5), DurationConverter.parse("5m"));
    assertEquals(Duration.ofMinutes(90), DurationConverter.parse("1h30m"));
    assertEquals(Duration.ofDays(2), DurationConverter.parse("2d"));
  }

  @Test
  void rejectsWhatIsNotADuration() {
    for (String bad : new String[] {"", "15", "s", "-5s", "1.5s", "5 m", "PT5S"}) {
      assertThrows(TypeConversionException.class, () -> DurationConverter.parse(bad), bad);
    }
  }
}
