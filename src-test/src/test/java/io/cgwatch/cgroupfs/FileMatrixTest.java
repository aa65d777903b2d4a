package io.cgwatch.cgroupfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.fixtures.HostTree;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.Limit;
import io.cgwatch.model.ScanError;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file the reader reads, in four states: ok, missing, malformed, vanished (the cgroup removed just as the
 * file is opened), plus permission denied. One bad file never costs the others.
 */
class FileMatrixTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

  /** A file, good and bad content, and how its value shows in the snapshot (empty when absent). */
  record Case(String version, String file, String good, String bad, Function<CgroupSnapshot, Optional<?>> value,
      Object expected) {
    @Override
    public String toString() {
      return "v" + version + " " + file;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        v2("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 3\n", "nr_descendants\n",
            c -> box(c.nrDyingDescendants()), 3L),
        v2("cgroup.events", "populated 1\nfrozen 0\n", "populated yes\n", CgroupSnapshot::populated, true),
        v2("cgroup.events", "populated 1\nfrozen 1\n", "frozen\n", CgroupSnapshot::frozen, true),
        v2("cgroup.controllers", "cpu memory pids\n", "cpu\nmemory\n", CgroupSnapshot::controllers,
            List.of("cpu", "memory", "pids")),
        v2("cgroup.subtree_control", "memory\n", "memory\npids\n", CgroupSnapshot::subtreeControl, List.of("memory")),
        v2("memory.current", "52862976\n", "garbage\n", c -> mem(c, m -> box(m.currentBytes())), 52862976L),
        v2("memory.min", "0\n", "none\n", c -> mem(c, m -> m.min()), Limit.of(0)),
        v2("memory.low", "4096\n", "-1\n", c -> mem(c, m -> m.low()), Limit.of(4096)),
        v2("memory.high", "max\n", "maximum\n", c -> mem(c, m -> m.high()), Limit.UNLIMITED),
        v2("memory.max", "268435456\n", "256M\n", c -> mem(c, m -> m.max()), Limit.of(268435456)),
        v2("memory.peak", "60000000\n", "\n", c -> mem(c, m -> box(m.peakBytes())), 60000000L),
        v2("memory.swap.current", "0\n", "0 0\n", c -> mem(c, m -> box(m.swapCurrentBytes())), 0L),
        v2("memory.swap.max", "1073741824\n", "1G\n", c -> mem(c, m -> m.depth().swapMax()), Limit.of(1073741824)),
        v2("memory.swap.events", "high 0\nmax 3\nfail 1\n", "fail -\n",
            c -> mem(c, m -> m.depth().swapEvents().map(e -> e.get("fail"))), 1L),
        v2("memory.events", "low 0\nhigh 2\nmax 0\noom 0\noom_kill 0\n", "oom_kill\n",
            c -> mem(c, m -> m.events().map(e -> e.get("high"))), 2L),
        v2("memory.events.local", "low 0\nhigh 1\n", "high one\n",
            c -> mem(c, m -> m.eventsLocal().map(e -> e.get("high"))), 1L),
        v2("memory.stat", "anon 0\nfile 52473856\n", "file 1.5\n", c -> mem(c, m -> box(m.breakdown().fileBytes())),
            52473856L),
        v2("memory.pressure", "some avg10=0.00 avg60=0.00 avg300=0.00 total=2000000\n"
            + "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", "some\n",
            c -> c.pressure().flatMap(p -> p.memory()).flatMap(p -> p.some()).map(l -> l.totalSeconds()), 2.0),
        v2("cpu.pressure", "some avg10=1.00 avg60=0.00 avg300=0.00 total=5\n", "sum avg10=1\n",
            c -> c.pressure().flatMap(p -> p.cpu()).flatMap(p -> p.some()).map(l -> l.avg10Percent()), 1.0),
        v2("io.pressure", "some avg10=0.00 avg60=2.50 avg300=0.00 total=5\n", "some avg10=a\n",
            c -> c.pressure().flatMap(p -> p.io()).flatMap(p -> p.some()).map(l -> l.avg60Percent()), 2.5),
        v2("pids.current", "7\n", "seven\n", c -> c.pids().flatMap(p -> box(p.current())), 7L),
        v2("pids.max", "max\n", "unlimited\n", c -> c.pids().flatMap(p -> p.max()), Limit.UNLIMITED),
        v2("pids.events", "max 12\n", "max twelve\n", c -> c.pids().flatMap(p -> p.events()).map(e -> e.get("max")),
            12L),
        v1("memory.usage_in_bytes", "62742528\n", "62742528 bytes\n", c -> mem(c, m -> box(m.currentBytes())),
            62742528L),
        v1("memory.limit_in_bytes", "9223372036854771712\n", "lots\n", c -> mem(c, m -> m.max()), Limit.UNLIMITED),
        v1("memory.stat", "cache 9306112\ntotal_cache 469315584\n", "cache\n",
            c -> mem(c, m -> box(m.breakdown().fileBytes())), 469315584L),
        v1("memory.stat", "writeback 8192\ntotal_writeback 65536\n", "total_writeback x\n",
            c -> mem(c, m -> box(m.breakdown().fileWritebackBytes())), 65536L),
        v1("memory.failcnt", "17\n", "-\n", c -> mem(c, m -> box(m.depth().failcnt())), 17L),
        v1("memory.max_usage_in_bytes", "819019776\n", "819019776 B\n",
            c -> mem(c, m -> box(m.depth().maxUsageBytes())), 819019776L),
        v1("memory.kmem.usage_in_bytes", "2842624\n", "2.8M\n", c -> mem(c, m -> box(m.depth().kmemUsageBytes())),
            2842624L),
        v1("memory.kmem.max_usage_in_bytes", "3145728\n", "\n",
            c -> mem(c, m -> box(m.depth().kmemMaxUsageBytes())), 3145728L),
        v1("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n", "oom_kill two\n",
            c -> mem(c, m -> box(m.depth().oomKills())), 2L));
  }

  @ParameterizedTest(name = "{0}: ok")
  @MethodSource("cases")
  void okFileGivesItsValue(Case k, @TempDir Path tmp) throws IOException {
    HostSnapshot s = scan(tree(k, tmp, k.good()), new NioControlFiles());
    assertEquals(Optional.of(k.expected()), k.value().apply(victim(s)));
    assertEquals(List.of(), s.scan().errors());
    assertSiblingIntact(s);
  }

  @ParameterizedTest(name = "{0}: missing")
  @MethodSource("cases")
  void missingFileIsAbsentNotZeroAndNoError(Case k, @TempDir Path tmp) throws IOException {
    HostSnapshot s = scan(tree(k, tmp, null), new NioControlFiles());
    assertEquals(Optional.empty(), k.value().apply(victim(s)));
    assertEquals(List.of(), s.scan().errors());
    assertSiblingIntact(s);
  }

  @ParameterizedTest(name = "{0}: malformed")
  @MethodSource("cases")
  void malformedFileIsAbsentAndNamedInOneError(Case k, @TempDir Path tmp) throws IOException {
    HostSnapshot s = scan(tree(k, tmp, k.bad()), new NioControlFiles());
    assertEquals(Optional.empty(), k.value().apply(victim(s)));
    assertEquals(1, s.scan().errors().size(), () -> s.scan().errors().toString());
    ScanError e = s.scan().errors().get(0);
    assertEquals(mount(k) + "/victim", e.path());
    assertEquals(k.file(), e.file());
    assertEquals(ScanError.Kind.MALFORMED, e.kind());
    assertFalse(e.message().isBlank());
    assertSiblingIntact(s);
  }

  @ParameterizedTest(name = "{0}: vanished")
  @MethodSource("cases")
  void cgroupRemovedWhileReadingIsSkippedAndCountedNotAnError(Case k, @TempDir Path tmp) throws IOException {
    Path root = tree(k, tmp, k.good());
    HostSnapshot s = scan(root, new RemoveBeforeRead(k.file()));
    assertTrue(s.cgroups().stream().noneMatch(c -> c.path().equals("/victim")), "the vanished cgroup is skipped");
    assertEquals(1, s.scan().vanished());
    assertEquals(List.of(), s.scan().errors());
    assertSiblingIntact(s);
    if ("1".equals(k.version())) {
      // num_cgroups (3) still counts it; removed during the scan it is dying now, not one of the live directories
      assertEquals(1, s.dyingMemoryCgroups().count().getAsLong(), "v1: the vanished cgroup counts as dying");
    }
  }

  @ParameterizedTest(name = "{0}: permission denied")
  @MethodSource("cases")
  void unreadableFileIsRecordedAndTheScanGoesOn(Case k, @TempDir Path tmp) throws IOException {
    HostSnapshot s = scan(tree(k, tmp, k.good()), new DenyRead(k.file()));
    assertEquals(Optional.empty(), k.value().apply(victim(s)));
    assertEquals(List.of(new ScanError(mount(k) + "/victim", k.file(), ScanError.Kind.PERMISSION_DENIED,
        "permission denied")), s.scan().errors());
    assertSiblingIntact(s);
  }

  private static HostSnapshot scan(Path root, ControlFiles files) {
    return new CgroupScanner(files).scan(HostRoots.of(root), ScanOptions.DEFAULTS, CLOCK);
  }

  /** A host with two cgroups: {@code /victim} holds the file under test, {@code /sibling} must never suffer. */
  private static Path tree(Case k, Path tmp, String content) {
    HostTree t = "2".equals(k.version()) ? HostTree.unified(tmp) : HostTree.legacyMemory(tmp);
    t.procCgroups("#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t" + ("2".equals(k.version()) ? 0 : 4)
        + "\t3\t1\n");
    HostTree.Cgroup victim = t.cgroupAt(mount(k), "/victim");
    if (content != null) {
      victim.file(k.file(), content);
    }
    t.cgroupAt(mount(k), "/sibling").file("2".equals(k.version()) ? "memory.current" : "memory.usage_in_bytes",
        "4096\n");
    return tmp;
  }

  private static String mount(Case k) {
    return "2".equals(k.version()) ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory";
  }

  private static CgroupSnapshot victim(HostSnapshot s) {
    return s.cgroups().stream().filter(c -> c.path().equals("/victim")).findFirst().orElseThrow();
  }

  private static void assertSiblingIntact(HostSnapshot s) {
    CgroupSnapshot sibling = s.cgroups().stream().filter(c -> c.path().equals("/sibling")).findFirst().orElseThrow();
    assertEquals(4096L, sibling.memory().orElseThrow().currentBytes().getAsLong());
  }

  private static Case v2(String file, String good, String bad, Function<CgroupSnapshot, Optional<?>> value,
      Object expected) {
    return new Case("2", file, good, bad, value, expected);
  }

  private static Case v1(String file, String good, String bad, Function<CgroupSnapshot, Optional<?>> value,
      Object expected) {
    return new Case("1", file, good, bad, value, expected);
  }

  private static Optional<?> mem(CgroupSnapshot c, Function<io.cgwatch.model.MemorySnapshot, Optional<?>> f) {
    return c.memory().flatMap(f);
  }

  private static Optional<Long> box(java.util.OptionalLong v) {
    return v.isPresent() ? Optional.of(v.getAsLong()) : Optional.empty();
  }

  /** Removes the victim's directory just before {@code file} is opened, as a concurrent rmdir would. */
  static final class RemoveBeforeRead extends ForwardingControlFiles {
    private final String file;

    RemoveBeforeRead(String file) {
      this.file = file;
    }

    @Override
    public String read(Path path) throws IOException {
      if (path.getFileName().toString().equals(file) && path.getParent().getFileName().toString().equals("victim")) {
        try (Stream<Path> walk = Files.walk(path.getParent())) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      return super.read(path);
    }
  }

  /** EACCES on one file, as in a delegated subtree read without privileges. */
  static final class DenyRead extends ForwardingControlFiles {
    private final String file;

    DenyRead(String file) {
      this.file = file;
    }

    @Override
    public String read(Path path) throws IOException {
      if (path.getFileName().toString().equals(file) && path.getParent().getFileName().toString().equals("victim")) {
        throw new AccessDeniedException(path.toString());
      }
      return super.read(path);
    }
  }
}
