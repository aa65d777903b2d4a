package io.cgwatch.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.LifecycleView;
import io.cgwatch.model.OrphanedMemory;
import io.cgwatch.model.ParentLifecycle;
import io.cgwatch.model.Zombie;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Live on a real kernel whose memory controller is on cgroup v1 (the build machine). Creates its own parent
 * {@code cgwatch-test-<random>} with K children; each child writes a distinct S MiB file, so its page cache is
 * charged to the child; the children are removed and stay dying. cgwatch must report K removals under the
 * parent, K zombies at their former paths with S MiB at death each, and K × S of orphaned page cache at the
 * parent; after sync + drop_caches the orphaned bytes must fall. Everything it made is removed, even on failure.
 */
@Tag("live")
@EnabledIf(value = "v1MemoryWritable", disabledReason = "needs root and a v1 memory hierarchy at /sys/fs/cgroup/memory")
class LiveV1ZombiesTest {
  private static final Path MEMORY = Path.of("/sys/fs/cgroup/memory");
  private static final int K = 4;
  private static final long S = 16L << 20;

  static boolean v1MemoryWritable() {
    return Files.isRegularFile(MEMORY.resolve("memory.usage_in_bytes")) && Files.isWritable(MEMORY)
        && "root".equals(System.getProperty("user.name"));
  }

  @Test
  void removedChildrenAreZombiesWithTheirPageCacheUntilCachesAreDropped() throws Exception {
    String name = "cgwatch-test-" + UUID.randomUUID().toString().substring(0, 8);
    Path parent = MEMORY.resolve(name);
    Path files = Files.createTempDirectory(Path.of("/var/tmp"), name);
    List<Path> children = new ArrayList<>();
    Clock clock = Clock.systemUTC();
    Analyzer analyzer = new Analyzer(clock, TrackerSettings.DEFAULTS, Duration.ofHours(1));
    CgroupScanner scanner = new CgroupScanner();
    HostRoots roots = HostRoots.of(Path.of("/"));
    try {
      Files.createDirectory(parent);
      for (int i = 1; i <= K; i++) {
        Path child = Files.createDirectory(parent.resolve("job-" + i));
        children.add(child);
        run("echo $$ > " + child.resolve("cgroup.procs") + " && head -c " + S + " /dev/urandom > "
            + files.resolve("file-" + i));
      }
      analyzer.analyze(scanner.scan(roots, ScanOptions.DEFAULTS, clock)); // the children alive, charged
      for (Path child : children) {
        rmdir(child);
      }
      Analysis after = analyzer.analyze(scanner.scan(roots, ScanOptions.DEFAULTS, clock));

      LifecycleView lifecycle = after.lifecycle().orElseThrow();
      ParentLifecycle p = lifecycle.parents().stream().filter(x -> x.path().equals("/" + name)).findFirst()
          .orElseThrow(() -> new AssertionError("no lifecycle for /" + name));
      assertEquals(K, p.removed());
      List<Zombie> ours = lifecycle.zombies().stream().filter(z -> z.path().startsWith("/" + name + "/")).toList();
      assertEquals(children.stream().map(c -> "/" + name + "/" + c.getFileName()).toList(),
          ours.stream().map(Zombie::path).toList(), "K zombies at their former paths");
      for (Zombie z : ours) {
        assertEquals("hierarchy", z.attribution());
        assertWithin(S, z.chargesAtDeath().fileBytes().getAsLong(), "page cache at death of " + z.path());
      }
      long orphaned = orphanedFile(after, name);
      assertWithin(K * S, orphaned, "orphaned page cache at the parent");
      System.out.printf("live v1: %d zombies under /%s, orphaned file %d bytes (expected %d)%n", ours.size(), name,
          orphaned, K * S);

      run("sync && echo 1 > /proc/sys/vm/drop_caches");
      Analysis dropped = analyzer.analyze(scanner.scan(roots, ScanOptions.DEFAULTS, clock));
      long left = orphanedFile(dropped, name);
      System.out.printf("live v1: after drop_caches, orphaned file %d bytes%n", left);
      assertTrue(left < orphaned / 2, "orphaned page cache fell after drop_caches: " + orphaned + " -> " + left);
    } finally {
      for (Path child : children) {
        if (Files.isDirectory(child)) {
          rmdir(child);
        }
      }
      if (Files.isDirectory(parent)) {
        rmdir(parent);
      }
      try (Stream<Path> s = Files.walk(files)) {
        for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
      run("sync && echo 1 > /proc/sys/vm/drop_caches"); // let the kernel free what this test left dying
    }
  }

  private static long orphanedFile(Analysis a, String name) {
    return a.orphaned().stream().filter(o -> o.path().equals("/" + name)).findFirst()
        .map(OrphanedMemory::bytes).orElseThrow(() -> new AssertionError("no orphaned estimate at /" + name))
        .fileBytes().getAsLong();
  }

  private static void assertWithin(long expected, long actual, String what) {
    assertTrue(Math.abs(actual - expected) <= expected / 10, what + ": " + actual + " not within 10% of " + expected);
  }

  private static void run(String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "-c", script).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException("'" + script + "' exited " + p.exitValue());
    }
  }

  /** rmdir can see EBUSY for a moment after the last task exits; retry briefly. */
  private static void rmdir(Path dir) throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        Files.delete(dir);
        return;
      } catch (IOException e) {
        if (attempt >= 50) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}
