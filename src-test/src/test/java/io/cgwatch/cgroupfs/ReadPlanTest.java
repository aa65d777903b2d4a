package io.cgwatch.cgroupfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The reader's plan is what it reads: on every fixture host, each file the scanner opens is a host file or a
 * control file that {@link ReadPlan} names (so {@code capture}, which copies the plan, misses nothing).
 */
class ReadPlanTest {
  @Test
  void theReaderReadsOnlyWhatItsPlanNames() {
    Set<String> outside = new TreeSet<>();
    Set<String> controlFilesRead = new TreeSet<>();
    for (String name : Fixtures.hostNames()) {
      Path root = Fixtures.host(name);
      HostRoots roots = HostRoots.of(root);
      List<Path> reads = new ArrayList<>();
      new CgroupScanner(new ForwardingControlFiles(new NioControlFiles()) {
        @Override
        public String read(Path file) throws IOException {
          reads.add(file);
          return super.read(file);
        }
      }).scan(roots, ScanOptions.DEFAULTS, Clock.systemUTC());
      for (Path f : reads) {
        String n = String.valueOf(f.getFileName());
        boolean host = f.equals(roots.procRoot().resolve(ReadPlan.MOUNTINFO))
            || ReadPlan.PROC_FILES.stream().anyMatch(p -> f.equals(roots.procRoot().resolve(p)))
            || ReadPlan.HOST_FILES.stream().anyMatch(p -> f.equals(roots.hostRoot().resolve(p)));
        if (!host) {
          controlFilesRead.add(n);
          if (!ReadPlan.controlFiles().contains(n) && !ReadPlan.PROCS.equals(n)) {
            outside.add(name + ": " + root.relativize(f));
          }
        }
      }
    }
    assertEquals(Set.of(), outside, "read but not in ReadPlan");
    assertTrue(controlFilesRead.containsAll(Set.of("memory.stat", "cgroup.stat", "memory.usage_in_bytes")),
        "the fixtures exercise v1 and v2: " + controlFilesRead);
  }

  @Test
  void planNeverOpensWriteOnlyFiles() {
    assertTrue(ReadPlan.controlFiles().stream().noneMatch(ReadPlan.PRESENCE_AT_ROOT::contains));
  }
}
