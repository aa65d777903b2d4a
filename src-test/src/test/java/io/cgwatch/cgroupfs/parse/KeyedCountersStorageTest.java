package io.cgwatch.cgroupfs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cgwatch.model.KeyedCounters;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Flat-keyed maps kept in an {@code int[]} when every value fits, else a {@code long[]}, holding only the
 * non-zero values when most are 0 (issue 16), and the prefix views over them, hold exactly the values the kernel
 * printed: a 5 GiB cgroup's {@code anon} is not truncated, values at the edges of the int range stay themselves,
 * and a 0 stays a present 0 (never an absent key) in files of more than 64 keys.
 */
class KeyedCountersStorageTest {
  private static final String SMALL = "anon 2147483647\nfile 0\nnr_subsys_memory 3\nnr_subsys_pids 1\n"
      + "shmem -2147483648\n";
  private static final String LARGE = "anon 5368709120\nfile 0\nnr_subsys_memory 3\nnr_subsys_pids 1\n"
      + "shmem 2147483648\n";

  @Test
  void everyValueAsPrintedWhetherItFitsAnIntOrNot() throws Exception {
    for (String content : List.of(SMALL, LARGE, SMALL, LARGE)) { // twice: the second time from the known layout
      Map<String, Long> reference = FlatKeyedParser.parseOneByOne(content);
      Map<String, Long> parsed = FlatKeyedParser.parse(content);
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      Map<String, Long> fromBytes = FlatKeyedParser.parseBytes(bytes, bytes.length);
      assertEquals(reference, parsed, content);
      assertEquals(reference, fromBytes, content);
      assertEquals(reference.hashCode(), fromBytes.hashCode());
      assertEquals(List.copyOf(reference.entrySet()), List.copyOf(fromBytes.entrySet()), "same order");
    }
    byte[] large = LARGE.getBytes(StandardCharsets.UTF_8);
    assertEquals(5368709120L, FlatKeyedParser.parseBytes(large, large.length).get("anon"));
  }

  /** 70 keys like a 6.x memory.stat: mostly 0, a few set, some past the 64th key. */
  private static String mostlyZero(long big) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 70; i++) {
      long v = i == 3 ? big : i == 40 ? 7 : i == 63 ? 1 : i == 64 ? 2 : i == 69 ? big - 1 : 0;
      b.append(String.format("k%02d %d%n", i, v));
    }
    return b.toString();
  }

  @Test
  void mostlyZeroFilesKeepEveryKeyAndValue() throws Exception {
    for (String content : List.of(mostlyZero(89_628_672L), mostlyZero(5_368_709_120L), mostlyZero(1))) {
      Map<String, Long> reference = FlatKeyedParser.parseOneByOne(content);
      for (int round = 0; round < 2; round++) { // the second from the known layout
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Map<String, Long> parsed = FlatKeyedParser.parseBytes(bytes, bytes.length);
        assertEquals(reference, parsed);
        assertEquals(List.copyOf(reference.entrySet()), List.copyOf(parsed.entrySet()), "same order");
        assertEquals(0L, parsed.get("k00"), "a 0 is present");
        assertEquals(2L, parsed.get("k64"));
        assertEquals(reference.get("k69"), parsed.get("k69"));
        assertEquals(Map.of("3", 1L, "4", 2L, "5", 0L, "9", reference.get("k69")),
            Map.copyOf(((KeyedCounters) parsed).withPrefix("k6")).entrySet().stream()
                .filter(e -> List.of("3", "4", "5", "9").contains(e.getKey()))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
            "a view over the packed values");
      }
    }
  }

  @Test
  void aPrefixViewReadsTheSourcesValues() throws Exception {
    for (String content : List.of(SMALL, LARGE)) {
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      KeyedCounters stat = (KeyedCounters) FlatKeyedParser.parseBytes(bytes, bytes.length);
      assertEquals(Map.of("memory", 3L, "pids", 1L), stat.withPrefix("nr_subsys_"), content);
      assertEquals(Map.of("ory", 3L), stat.withPrefix("nr_subsys_").withPrefix("mem"), "a view of a view");
    }
  }
}
