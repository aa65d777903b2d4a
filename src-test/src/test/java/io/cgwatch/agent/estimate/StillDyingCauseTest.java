package io.cgwatch.agent.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.exporters.text.Remedies;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.StillDying.Cause;
import io.cgwatch.model.StillDying.ParentCause;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Why still dying" over the real captures, and copies of them with one figure changed the way the kernel would
 * show that cause: the cause per parent, and the advice that follows it (dirty pages: sync first; clean page cache:
 * memory.reclaim on v2, drop_caches on v1; mapped pages: their mappers; kernel memory on an old kernel:
 * drop_caches=2; nothing left: it should free soon).
 */
class StillDyingCauseTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  private static final String V2_JOBS = "sys/fs/cgroup/jobs/memory.stat";
  private static final String V1_SLICE = "sys/fs/cgroup/memory/system.slice/memory.stat";
  private static final String V1_ROOT = "sys/fs/cgroup/memory/memory.stat";
  private static final long ROOT_TOTAL_CACHE = 114270208L;
  private static final long ROOT_TOTAL_MAPPED = 28233728L;

  private static Analysis analyze(Path root) {
    return new Analyzer(CLOCK, TrackerSettings.DEFAULTS, Duration.ofHours(1))
        .analyze(new CgroupScanner().scan(HostRoots.of(root), ScanOptions.DEFAULTS, CLOCK));
  }

  private static ParentCause at(Analysis a, String path) {
    return a.stillDying().parents().stream().filter(p -> p.path().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError("no cause for " + path + ": " + a.stillDying().parents()));
  }

  private static String advice(Analysis a) {
    return String.join("\n", Remedies.forReport(a));
  }

  /** A copy of a fixture host with lines of one file replaced ({@code "key old"} → {@code "key new"}). */
  private static Path copy(String fixture, Path tmp) {
    Path from = Fixtures.host(fixture);
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path to = tmp.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tmp;
  }

  private static void set(Path root, String file, String key, long value) throws IOException {
    Path f = root.resolve(file);
    List<String> lines = Files.readAllLines(f);
    boolean found = false;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(key + " ")) {
        lines.set(i, key + " " + value);
        found = true;
      }
    }
    assertTrue(found, key + " in " + file);
    Files.write(f, lines);
  }

  @Test
  void cleanPageCacheOnV2IsReclaimedOnTheParent() {
    Analysis a = analyze(Fixtures.host("unified-6.1-dying"));
    ParentCause jobs = at(a, "/jobs");
    assertEquals(Cause.PAGE_CACHE, jobs.cause());
    assertEquals(4, jobs.dying().getAsLong(), "4 of the 5 dying have /jobs as nearest live ancestor");
    assertEquals(1, at(a, "/system.slice/cron.service").dying().getAsLong());
    assertEquals(2, a.stillDying().parents().size(), "the root and system.slice have no dying of their own");
    String advice = advice(a);
    assertTrue(advice.startsWith("under /jobs (4 dying): 32.0 MiB of clean page cache pins them: cgwatch reclaim "
        + "--cgroup /jobs --execute"), advice);
    assertFalse(advice.contains("sync first"), advice);
  }

  @Test
  void dirtyPageCacheOnV2SaysSyncBeforeReclaim(@TempDir Path tmp) throws IOException {
    Path root = copy("unified-6.1-dying", tmp);
    set(root, V2_JOBS, "file_dirty", 8 << 20);
    Analysis a = analyze(root);
    ParentCause jobs = at(a, "/jobs");
    assertEquals(Cause.DIRTY_PAGE_CACHE, jobs.cause());
    String step = Remedies.forCause(a, jobs);
    assertTrue(step.startsWith("dirty page cache pins them (8.0 MiB dirty, 0 B under writeback)"), step);
    assertTrue(step.indexOf("run sync first") < step.indexOf("cgwatch reclaim --cgroup /jobs"), step);
    assertEquals(Cause.PAGE_CACHE, at(a, "/system.slice/cron.service").cause(), "one parent's dirt is its own");
  }

  @Test
  void writebackCountsAsDirty(@TempDir Path tmp) throws IOException {
    Path root = copy("unified-6.1-dying", tmp);
    set(root, V2_JOBS, "file_writeback", 4096);
    assertEquals(Cause.DIRTY_PAGE_CACHE, at(analyze(root), "/jobs").cause());
  }

  @Test
  void nothingLeftOnV2ShouldFreeSoonButNamesTheDirtyInode(@TempDir Path tmp) throws IOException {
    Path root = copy("unified-6.1-dying", tmp);
    set(root, V2_JOBS, "file", 0); // after a successful reclaim, as in ZombiesWithPageCacheTest
    ParentCause jobs = at(analyze(root), "/jobs");
    assertEquals(Cause.NOTHING_CHARGED, jobs.cause());
    String step = Remedies.forCause(analyze(root), jobs);
    assertTrue(step.contains("should free them soon") && step.contains("run sync"), step);
    assertFalse(step.contains("cgwatch reclaim"), step);
  }

  @Test
  void fromSevenOnePageCacheNoLongerPinsAndWhatIsLeftIsStillOfferedForReclaim(@TempDir Path tmp) throws IOException {
    Path root = copy("unified-6.1-dying", tmp);
    Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "7.1.3-arch1-1\n");
    assertEquals(Cause.NOTHING_CHARGED, at(analyze(root), "/jobs").cause(), "7.1 moves page cache to the parent");
    for (String dir : List.of("", "jobs/", "system.slice/", "system.slice/cron.service/")) {
      set(root, "sys/fs/cgroup/" + dir + "cgroup.stat", "nr_dying_descendants", 0); // as 7.1 would show it
    }
    Analysis a = analyze(root);
    assertEquals(List.of(), a.stillDying().parents());
    assertTrue(advice(a).startsWith("reclaim what removed cgroups left under /jobs: cgwatch reclaim --cgroup /jobs"),
        advice(a));
  }

  @Test
  void cleanPageCacheOnV1IsDropCachesNeverReclaim() {
    Analysis a = analyze(Fixtures.host("legacy-v1"));
    ParentCause slice = at(a, "/system.slice");
    assertEquals(Cause.PAGE_CACHE, slice.cause());
    assertTrue(slice.dying().isEmpty(), "v1 counts dying only host-wide");
    assertEquals(52912128L, slice.fileBytes().getAsLong());
    String advice = advice(a);
    assertTrue(advice.contains("echo 1 > /proc/sys/vm/drop_caches (cgroup v1 has no memory.reclaim)"), advice);
    assertFalse(advice.contains("memory.reclaim'") || advice.contains("cgwatch reclaim"), advice);
  }

  @Test
  void dirtyPageCacheOnV1SubtractsTheParentsOwnDirtyPages(@TempDir Path tmp) throws IOException {
    Path root = copy("legacy-v1", tmp);
    set(root, V1_SLICE, "dirty", 65536);
    set(root, V1_SLICE, "total_dirty", 65536); // the parent's own: not its dying children's
    assertEquals(Cause.PAGE_CACHE, at(analyze(root), "/system.slice").cause());
    set(root, V1_SLICE, "total_dirty", 65536 + 16384);
    Analysis a = analyze(root);
    assertEquals(Cause.DIRTY_PAGE_CACHE, at(a, "/system.slice").cause());
    assertEquals(16384L, at(a, "/system.slice").dirtyBytes().getAsLong());
    assertTrue(advice(a).contains("run sync first"), advice(a));
  }

  @Test
  void mappedPageCacheIsNotDroppedByAnyReclaim(@TempDir Path tmp) throws IOException {
    Path root = copy("legacy-v1", tmp);
    // Only mapped page cache left: total_cache − cache − child's total_cache = total_mapped_file − child's mapped.
    set(root, V1_SLICE, "total_cache", 1081344 + 2719744 + 4116480);
    Analysis a = analyze(root);
    ParentCause slice = at(a, "/system.slice");
    assertEquals(Cause.MAPPED_OR_SHMEM, slice.cause());
    String step = Remedies.forCause(a, slice);
    assertTrue(step.contains("neither memory.reclaim nor drop_caches frees it"), step);
  }

  @Test
  void kernelMemoryPinsOnlyOnKernelsThatDoNotReparentIt(@TempDir Path tmp) throws IOException {
    Path root = copy("legacy-v1", tmp);
    set(root, V1_SLICE, "total_cache", 1081344 + 2719744); // no page cache left behind: as after drop_caches
    set(root, V1_SLICE, "total_mapped_file", 1388544);
    set(root, V1_ROOT, "total_cache", ROOT_TOTAL_CACHE - 52912128); // the root's totals cover the slice
    set(root, V1_ROOT, "total_mapped_file", ROOT_TOTAL_MAPPED - 4116480);
    Analysis a515 = analyze(root);
    assertEquals(List.of(Cause.NOTHING_CHARGED), a515.stillDying().parents().stream().map(ParentCause::cause)
        .toList(), "5.15 moves kernel memory to the parent at removal: " + a515.stillDying().parents());
    assertTrue(advice(a515).contains("should free them soon"), advice(a515));
    Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "5.4.0-150-generic\n");
    Analysis a = analyze(root);
    ParentCause on54 = at(a, "/system.slice");
    assertEquals(Cause.KERNEL_MEMORY, on54.cause());
    String step = Remedies.forCause(a, on54);
    assertTrue(step.contains("echo 2 > /proc/sys/vm/drop_caches"), step);
    assertEquals(1949696L - 602112L, on54.kernelBytes().getAsLong(), "kmem usage minus the live child's");
  }

  @Test
  void perCpuCostIsCappedByTheKernelsMeasurement(@TempDir Path tmp) throws IOException {
    Analysis measured = analyze(Fixtures.host("unified-6.1-dying"));
    assertEquals("estimate", measured.stillDying().cost().method(), "568 KiB over 11 memcgs is above 2 KiB x 2");
    assertEquals(5L * (2048 * 2 + 10240), measured.hostOrphaned().dyingKernelMemoryBytes().getAsLong());
    Path root = copy("unified-6.1-dying", tmp);
    Path meminfo = root.resolve("proc/meminfo");
    Files.writeString(meminfo, Files.readString(meminfo).replaceAll("Percpu: +\\d+ kB", "Percpu:              22 kB"));
    Analysis capped = analyze(root);
    assertEquals("meminfo_percpu", capped.stillDying().cost().method());
    assertEquals(22 * 1024 / 11, capped.stillDying().cost().perCpuMeasuredAtMostBytes().getAsLong());
    assertEquals(5L * (22 * 1024 / 11 + 10240), capped.hostOrphaned().dyingKernelMemoryBytes().getAsLong());
  }
}
