package io.cgwatch.cgroupfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.cgroupfs.parse.FlatKeyedParser;
import io.cgwatch.model.KeyedCounters;
import io.cgwatch.support.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code nr_subsys_*} and {@code nr_dying_subsys_*} of {@code cgroup.stat} (6.11+), split off without a TreeMap
 * per cgroup, are the maps the key-by-key split gives: same controllers, same counts, same order; absent when the
 * kernel prints no such key.
 */
class SubsysPrefixTest {
  @Test
  void sharedLayoutSplitEqualsTheKeyByKeySplit() throws Exception {
    int compared = 0;
    for (String file : List.of("sys/fs/cgroup/cgroup.stat", "sys/fs/cgroup/system.slice/cgroup.stat")) {
      Map<String, Long> stat = FlatKeyedParser.parse(Fixtures.read(Fixtures.host("edge-subsys-6.12")
          .resolve(file)));
      assertTrue(stat instanceof KeyedCounters, "the shared-layout map");
      for (String prefix : List.of(V2CgroupReader.NR_SUBSYS_PREFIX, V2CgroupReader.NR_DYING_SUBSYS_PREFIX)) {
        Optional<Map<String, Long>> split = V2CgroupReader.withPrefix(stat, prefix);
        Optional<Map<String, Long>> reference = V2CgroupReader.withPrefix(new TreeMap<>(stat), prefix);
        assertTrue(reference.isPresent() && reference.get().containsKey("memory"), file + " " + prefix);
        assertEquals(reference, split, file + " " + prefix);
        assertEquals(List.copyOf(reference.get().keySet()), List.copyOf(split.get().keySet()));
        compared++;
      }
    }
    assertEquals(4, compared);
  }

  @Test
  void absentWhenTheKernelPrintsNoSuchKey() throws Exception {
    Map<String, Long> stat = FlatKeyedParser.parse("nr_descendants 3\nnr_dying_descendants 1\n");
    assertEquals(Optional.empty(), V2CgroupReader.withPrefix(stat, V2CgroupReader.NR_DYING_SUBSYS_PREFIX));
  }
}
