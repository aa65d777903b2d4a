package io.cgwatch.cgroupfs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cgwatch.model.KeyedCounters;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Flat-keyed maps kept in an {@code int[]} when every value fits, else a {@code long[]} (issue 16), and the
 * prefix views over either, hold exactly the values the kernel printed: a 5 GiB cgroup's {@code anon} is not
 * truncated, and values at the edges of the int range stay themselves.
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
