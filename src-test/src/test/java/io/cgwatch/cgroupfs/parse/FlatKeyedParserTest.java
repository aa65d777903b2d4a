package io.cgwatch.cgroupfs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatKeyedParserTest {
  @Test
  void readsCgroupStatWithoutSubsysLines() throws Exception {
    // Linux 6.1 (captures/linux-6.1-v2-vm/02-after-rmdir/root.cgroup.stat): no nr_subsys_* lines before 6.11.
    Map<String, Long> m = FlatKeyedParser.parse("nr_descendants 1\nnr_dying_descendants 1\n");
    assertEquals(Map.of("nr_descendants", 1L, "nr_dying_descendants", 1L), m);
    assertFalse(m.containsKey("nr_dying_subsys_memory"), "a line the kernel did not print is absent, not 0");
  }

  @Test
  void readsCgroupStatWithSubsysLinesInKernelOrder() throws Exception {
    // Linux 6.18 hybrid (captures/linux-6.18-hybrid/unified_cgroup.stat).
    Map<String, Long> m = FlatKeyedParser.parse("""
        nr_descendants 0
        nr_subsys_perf_event 1
        nr_subsys_hugetlb 1
        nr_dying_descendants 0
        nr_dying_subsys_perf_event 0
        nr_dying_subsys_hugetlb 0
        """);
    assertEquals(6, m.size());
    assertEquals(1L, m.get("nr_subsys_hugetlb"));
    assertEquals(List.copyOf(m.keySet()), m.keySet().stream().sorted().toList(), "keys come out sorted");
  }

  @Test
  void keepsUnknownKeysAndToleratesAnyOrder() throws Exception {
    Map<String, Long> m = FlatKeyedParser.parse("future_key 42\nfile 52473856\nanon 0\n");
    assertEquals(42L, m.get("future_key"));
    assertEquals(52473856L, m.get("file"));
  }

  @Test
  void readsV1UnlimitedSentinelAndNegativeValues() throws Exception {
    Map<String, Long> m = FlatKeyedParser.parse("hierarchical_memory_limit 9223372036854771712\nsomething -3\n");
    assertEquals(9223372036854771712L, m.get("hierarchical_memory_limit"));
    assertEquals(-3L, m.get("something"));
  }

  @Test
  void emptyFileIsEmptyMap() throws Exception {
    assertTrue(FlatKeyedParser.parse("").isEmpty());
  }

  @Test
  void acceptsMissingFinalNewline() throws Exception {
    assertEquals(Map.of("populated", 1L, "frozen", 0L), FlatKeyedParser.parse("populated 1\nfrozen 0"));
  }

  @Test
  void rejectsTruncatedLineNamingLineAndText() {
    MalformedFileException e = assertThrows(MalformedFileException.class,
        () -> FlatKeyedParser.parse("low 0\nhigh 0\nmax 0\noom 0\noom_kill\n"));
    assertEquals("line 5: expected '<key> <integer>', got 'oom_kill'", e.getMessage());
  }

  @Test
  void rejectsNonDecimalValuesAndOverflow() {
    assertThrows(MalformedFileException.class, () -> FlatKeyedParser.parse("anon 0x10\n"));
    assertThrows(MalformedFileException.class, () -> FlatKeyedParser.parse("anon 1.5\n"));
    assertThrows(MalformedFileException.class, () -> FlatKeyedParser.parse("anon 18446744073709551615\n"));
    assertThrows(MalformedFileException.class, () -> FlatKeyedParser.parse("anon  1\n"));
  }

  @Test
  void rejectsDuplicateKeys() {
    MalformedFileException e = assertThrows(MalformedFileException.class,
        () -> FlatKeyedParser.parse("anon 1\nanon 2\n"));
    assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
  }

  @Test
  void escapesControlCharactersInErrorMessages() {
    MalformedFileException e = assertThrows(MalformedFileException.class,
        () -> FlatKeyedParser.parse("\u001b[31mred\n"));
    assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
    assertTrue(e.getMessage().contains("\\x1b[31mred"), e.getMessage());
  }
}
