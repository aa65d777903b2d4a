package io.cgwatch.cgroupfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.model.HostSnapshot;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A decorator written against an older seam still sees every read of a scan, which now reads by name
 * ({@link ControlFiles#readInto(Path, String, ReadBuffer)}): one that overrides only {@code read}, or only the
 * Path {@code readInto}, is not bypassed, and gives the scan the same snapshot.
 */
class ForwardingControlFilesTest {
  private static final HostRoots ROOTS = HostRoots.of(Fixtures.host("unified-6.1-dying"));

  @Test
  void aDecoratorOfReadOnlySeesEveryRead() {
    List<Path> seen = new ArrayList<>();
    ControlFiles onlyRead = new ForwardingControlFiles() {
      @Override
      public String read(Path file) throws IOException {
        seen.add(file);
        return "nr_descendants 0\nnr_dying_descendants 0\n";
      }
    };
    HostSnapshot s = new CgroupScanner(onlyRead).scan(ROOTS, ScanOptions.DEFAULTS, Clock.systemUTC());
    assertTrue(seen.stream().anyMatch(p -> p.endsWith("memory.stat")), "reads: " + seen);
    assertEquals(reads(), seen.size(), "every control file read goes through the decorator's read");
    assertTrue(s.hierarchies().get(0).dying().count().isPresent());
  }

  @Test
  void aDecoratorOfThePathReadIntoSeesEveryReadAndTheSameSnapshot() {
    List<Path> seen = new ArrayList<>();
    ControlFiles pathOnly = new ForwardingControlFiles() {
      @Override
      public void readInto(Path file, ReadBuffer into) throws IOException {
        seen.add(file);
        super.readInto(file, into);
      }
    };
    Clock clock = Clock.fixed(java.time.Instant.parse("2026-12-05T23:00:00Z"), java.time.ZoneOffset.UTC);
    HostSnapshot s = new CgroupScanner(pathOnly).scan(ROOTS, ScanOptions.DEFAULTS, clock);
    assertEquals(reads(), seen.size());
    assertEquals(new CgroupScanner().scan(ROOTS, ScanOptions.DEFAULTS, clock).cgroups(), s.cgroups());
  }

  /** The control-file reads of one scan of the fixture, counted at the by-name seam. */
  private static int reads() {
    int[] n = {0};
    ControlFiles counting = new ForwardingControlFiles() {
      @Override
      public void readInto(Path dir, String file, ReadBuffer into) throws IOException {
        n[0]++;
        super.readInto(dir, file, into);
      }
    };
    new CgroupScanner(counting).scan(ROOTS, ScanOptions.DEFAULTS, Clock.systemUTC());
    assertTrue(n[0] > 50, "the fixture has control files: " + n[0]);
    return n[0];
  }
}
