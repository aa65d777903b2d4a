package io.cgwatch.cgroupfs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.model.Limit;
import org.junit.jupiter.api.Test;

class LimitParserTest {
  @Test
  void maxIsUnlimited() throws Exception {
    assertTrue(LimitParser.parse("max\n").unlimited());
  }

  @Test
  void bytesAreALimit() throws Exception {
    assertEquals(Limit.of(268435456), LimitParser.parse("268435456\n"));
    assertEquals(Limit.of(0), LimitParser.parse("0\n"));
  }

  @Test
  void v1PageCounterMaxIsUnlimitedForFourKibAndSixtyFourKibPages() throws Exception {
    assertTrue(LimitParser.parse("9223372036854771712\n").unlimited()); // 4 KiB pages
    assertTrue(LimitParser.parse("9223372036854710272\n").unlimited()); // 64 KiB pages
  }

  @Test
  void oldKernelsU64MaxIsUnlimited() throws Exception {
    assertTrue(LimitParser.parse("18446744073709551615\n").unlimited());
  }

  @Test
  void rejectsGarbageEmptyAndNegative() {
    assertThrows(MalformedFileException.class, () -> LimitParser.parse("garbage\n"));
    assertThrows(MalformedFileException.class, () -> LimitParser.parse(""));
    assertThrows(MalformedFileException.class, () -> LimitParser.parse("-1\n"));
    assertThrows(MalformedFileException.class, () -> LimitParser.parse("1\n2\n"));
    assertThrows(MalformedFileException.class, () -> LimitParser.parse("99999999999999999999999\n"));
  }
}
