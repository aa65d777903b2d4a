package io.cgwatch.cgroupfs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.model.Pressure;
import io.cgwatch.model.PsiLine;
import org.junit.jupiter.api.Test;

class PressureParserTest {
  @Test
  void readsSomeAndFullAndConvertsMicrosecondsToSeconds() throws Exception {
    Pressure p = PressureParser.parse("""
        some avg10=1.25 avg60=0.50 avg300=0.07 total=2500000
        full avg10=0.00 avg60=0.00 avg300=0.00 total=0
        """);
    assertEquals(new PsiLine(1.25, 0.50, 0.07, 2.5), p.some().orElseThrow());
    assertEquals(new PsiLine(0, 0, 0, 0), p.full().orElseThrow());
  }

  @Test
  void cpuBefore513HasNoFullLine() throws Exception {
    Pressure p = PressureParser.parse("some avg10=0.00 avg60=0.00 avg300=0.00 total=17\n");
    assertTrue(p.full().isEmpty());
  }

  @Test
  void irqPressureHasOnlyFull() throws Exception {
    Pressure p = PressureParser.parse("full avg10=0.00 avg60=0.00 avg300=0.00 total=3\n");
    assertTrue(p.some().isEmpty());
    assertEquals(3e-6, p.full().orElseThrow().totalSeconds(), 1e-12);
  }

  @Test
  void ignoresFieldsAFutureKernelAdds() throws Exception {
    Pressure p = PressureParser.parse("some avg10=0.00 avg60=0.00 avg300=0.00 total=1 avg1800=0.00\n");
    assertEquals(1e-6, p.some().orElseThrow().totalSeconds(), 1e-12);
  }

  @Test
  void rejectsMalformedLines() {
    assertThrows(MalformedFileException.class, () -> PressureParser.parse("some avg10=x avg60=0.00 avg300=0.00 total=1\n"));
    assertThrows(MalformedFileException.class, () -> PressureParser.parse("some avg10=0.00 avg60=0.00 total=1\n"));
    assertThrows(MalformedFileException.class, () -> PressureParser.parse("partial avg10=0.00\n"));
    assertThrows(MalformedFileException.class, () -> PressureParser.parse(""));
  }
}
