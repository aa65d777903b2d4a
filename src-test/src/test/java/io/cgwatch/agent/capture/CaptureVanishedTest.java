package io.cgwatch.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.NioControlFiles;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cgroup removed between the walk (listings) and the copy (reads) is skipped with its subtree and counted
 * once, deterministically: the test removes it between the two steps.
 */
class CaptureVanishedTest {
  @Test
  void cgroupRemovedBetweenWalkAndCopyIsSkippedAndCounted(@TempDir Path tmp) throws Exception {
    Path host = copyTree(Fixtures.host("unified-6.1-dying"), tmp.resolve("host"));
    Capturer c = new Capturer(HostRoots.of(host), new NioControlFiles(), CaptureLimits.DEFAULTS, false,
        System::nanoTime);
    Capturer.Plan plan = c.plan();
    List<String> walked = plan.mounts().get(0).dirs().stream().map(Capturer.Dir::outPath).toList();
    assertTrue(walked.contains("sys/fs/cgroup/jobs/keeper"), walked.toString());

    deleteTree(host.resolve("sys/fs/cgroup/jobs")); // jobs and jobs/keeper go: one vanished cgroup, its subtree
    Path out = tmp.resolve("out");
    try (DirectorySink sink = new DirectorySink(out)) {
      c.copy(plan, sink);
      sink.finish();
    }
    Capturer.Result r = c.result(null);
    assertEquals(1, r.vanished());
    assertEquals(walked.size() - 2, r.cgroups());
    assertFalse(Files.exists(out.resolve("sys/fs/cgroup/jobs")));
    assertTrue(Files.isRegularFile(out.resolve("sys/fs/cgroup/system.slice/cgroup.stat")));
    assertTrue(Files.isRegularFile(out.resolve("sys/fs/cgroup/cgroup.stat")));
  }

  @Test
  void unreadableFileIsSkippedAndCountedAndTheRestIsCopied(@TempDir Path tmp) throws Exception {
    Path host = copyTree(Fixtures.host("unified-6.1-dying"), tmp.resolve("host"));
    Path stat = host.resolve("sys/fs/cgroup/jobs/memory.stat");
    // A directory where a control file was: cannot be read as a file, whoever runs the test (root included).
    Files.delete(stat);
    Files.createDirectory(stat);
    Capturer c = new Capturer(HostRoots.of(host), new NioControlFiles(), CaptureLimits.DEFAULTS, false,
        System::nanoTime);
    Path out = tmp.resolve("out");
    Capturer.Result r;
    try (DirectorySink sink = new DirectorySink(out)) {
      r = c.run(sink, CaptureCommandTest.CLOCK, "test");
    }
    assertTrue(r.complete());
    assertEquals(0, r.vanished());
    assertTrue(Files.isRegularFile(out.resolve("sys/fs/cgroup/jobs/memory.current")));
    assertTrue(Files.readString(out.resolve("CAPTURED")).contains("skipped: "), "CAPTURED");
  }

  @Test
  void fileLargerThanTheCapIsSkipped(@TempDir Path tmp) throws Exception {
    Path host = copyTree(Fixtures.host("unified-6.1-dying"), tmp.resolve("host"));
    Files.write(host.resolve("sys/fs/cgroup/jobs/memory.stat"), new byte[Capturer.MAX_FILE_BYTES + 1]);
    Capturer c = new Capturer(HostRoots.of(host), new NioControlFiles(), CaptureLimits.DEFAULTS, false,
        System::nanoTime);
    Path out = tmp.resolve("out");
    Capturer.Result r;
    try (DirectorySink sink = new DirectorySink(out)) {
      r = c.run(sink, CaptureCommandTest.CLOCK, "test");
    }
    assertEquals(1, r.skipped());
    assertFalse(Files.exists(out.resolve("sys/fs/cgroup/jobs/memory.stat")));
    assertTrue(Files.readString(out.resolve("CAPTURED")).contains("sys/fs/cgroup/jobs/memory.stat: larger than"));
  }

  static Path copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return to;
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
