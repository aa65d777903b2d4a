package io.cgwatch.cgroupfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.cgwatch.model.HostSnapshot;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The carry matches a cgroup with the last scan's by index first (issue 16) and by key when the lists stop lining
 * up: with a cgroup removed and another made between the scans, every cgroup still gets its own slow-tier
 * values (a limit written after the carried scan shows only at the next full read), never a neighbour's.
 */
class SlowTierCarryAlignmentTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T23:00:00Z"), ZoneOffset.UTC);

  @Test
  void cgroupsRemovedAndMadeBetweenScansKeepTheirOwnValues(@TempDir Path tmp) throws IOException {
    Fixtures.copyTree(Fixtures.host("unified-6.1-dying"), tmp);
    Path slice = tmp.resolve("sys/fs/cgroup/system.slice");
    Files.writeString(slice.resolve("cron.service/memory.max"), "1000001\n");
    Files.writeString(slice.resolve("ssh.service/memory.max"), "2000002\n");
    HostRoots roots = HostRoots.of(tmp);
    HostSnapshot previous = new CgroupScanner().scan(roots, ScanOptions.DEFAULTS, CLOCK);

    deleteTree(slice.resolve("cron.service")); // every later cgroup shifts one place up
    Fixtures.copyTree(slice.resolve("ssh.service"), tmp.resolve("sys/fs/cgroup/jobs/added"));
    Files.writeString(tmp.resolve("sys/fs/cgroup/jobs/added/memory.max"), "3000003\n");
    HostSnapshot full = new CgroupScanner().scan(roots, ScanOptions.DEFAULTS, CLOCK);
    HostSnapshot read = new CgroupScanner().scan(roots,
        ScanOptions.DEFAULTS.withSlowTierCarried(SlowTierCarry.keys(previous)), CLOCK);
    HostSnapshot carried = SlowTierCarry.carry(previous, read);

    assertNotEquals(previous.cgroups().size(), 0);
    assertEquals(full.cgroups(), carried.cgroups(), "each cgroup with its own carried limits");
    assertEquals(2000002L, maxOf(carried, "/system.slice/ssh.service"));
    assertEquals(3000003L, maxOf(carried, "/jobs/added"), "the new cgroup read in full");
  }

  private static long maxOf(HostSnapshot s, String path) {
    return s.cgroups().stream().filter(c -> c.path().equals(path)).findFirst().orElseThrow().memory()
        .orElseThrow().max().orElseThrow().value();
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(q);
      }
    }
  }
}
