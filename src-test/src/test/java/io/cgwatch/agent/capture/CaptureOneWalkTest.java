package io.cgwatch.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.ForwardingControlFiles;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.NioControlFiles;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.fixtures.HostTree;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * There is one walk: capture lists exactly the directories the scanner lists, in the same order, because it
 * walks with the reader's walker ({@code ReadPlan.walk}). Shown on a hostile tree (a symlinked directory leading
 * out, a chain deeper than the reader's walk bound, a FIFO control file, a forged mount point outside the root)
 * and on every fixture host.
 */
class CaptureOneWalkTest {
  private static final int CHAIN = ScanOptions.DEFAULT_MAX_WALK_DEPTH + 20;

  /** Every directory listed through a recording file access, in order. */
  private static final class Listings extends ForwardingControlFiles {
    final List<Path> listed = new ArrayList<>();

    Listings() {
      super(new NioControlFiles());
    }

    @Override
    public Listing list(Path dir) throws IOException {
      listed.add(dir);
      return super.list(dir);
    }
  }

  private static List<Path> scanned(Path host) {
    Listings l = new Listings();
    new CgroupScanner(l).scan(HostRoots.of(host), ScanOptions.DEFAULTS, Clock.systemUTC());
    // The kubelet's pod log directory is a host directory the scanner lists for owner names, not a walk:
    // capture copies it with the host files (CapturePodLogDirsTest).
    Path pods = HostRoots.of(host).hostRoot().resolve(io.cgwatch.cgroupfs.ReadPlan.POD_LOG_DIRS);
    return l.listed.stream().filter(p -> !p.equals(pods)).toList();
  }

  private static List<Path> captured(Path host) throws Exception {
    Listings l = new Listings();
    new Capturer(HostRoots.of(host), l, CaptureLimits.DEFAULTS, false, System::nanoTime).plan();
    return l.listed;
  }

  /** Equal lists; on failure the sizes and the first difference, not 300 deep paths. */
  private static void assertSameWalk(Path host, List<Path> scan, List<Path> capture) {
    if (scan.equals(capture)) {
      return;
    }
    int i = 0;
    while (i < scan.size() && i < capture.size() && scan.get(i).equals(capture.get(i))) {
      i++;
    }
    throw new AssertionError("capture walks another tree than the scanner under " + host + ": scanner listed "
        + scan.size() + ", capture " + capture.size() + " directories; first difference at #" + i + ": scanner "
        + (i < scan.size() ? host.relativize(scan.get(i)) : "(end)") + ", capture "
        + (i < capture.size() ? host.relativize(capture.get(i)) : "(end)"));
  }

  @Test
  void captureListsTheDirectoriesTheScannerListsOnAHostileTree(@TempDir Path tmp) throws Exception {
    Path elsewhere = tmp.resolve("elsewhere");
    Files.createDirectories(elsewhere.resolve("hidden"));
    Path host = tmp.resolve("host");
    HostTree t = HostTree.unified(host).kernel("6.12.0").mountinfo(HostTree.V2_MOUNTINFO
        + "31 23 0:27 / /sys/fs/cgroup/../../../../etc rw,relatime shared:5 - cgroup2 cgroup2 rw\n");
    t.cgroup("/").file("cgroup.stat", "nr_descendants 3\nnr_dying_descendants 0\n");
    t.cgroup("/ok").file("memory.current", "4096\n");
    Path trap = t.cgroup("/trap").dir();
    Process mk = new ProcessBuilder("mkfifo", trap.resolve("memory.stat").toString()).inheritIO().start();
    assertEquals(0, mk.waitFor());
    Files.createSymbolicLink(trap.resolve("escape"), elsewhere);
    Path deep = t.cgroup("/deep").dir();
    for (int i = 0; i < CHAIN; i++) {
      deep = deep.resolve("d");
    }
    Files.createDirectories(deep);

    List<Path> scan = scanned(host);
    List<Path> capture = captured(host);
    assertSameWalk(host, scan, capture);
    assertTrue(capture.contains(trap) && capture.contains(host.resolve("sys/fs/cgroup/ok")), capture.toString());
    assertFalse(capture.stream().anyMatch(p -> p.startsWith(elsewhere) || p.endsWith("escape")),
        "a symlinked directory is not followed: " + capture);
    long chainListed = capture.stream().filter(p -> p.startsWith(host.resolve("sys/fs/cgroup/deep"))).count();
    // the reader's bound: the mount's root is depth 0, /deep depth 1, so depths 1..256 are listed
    assertEquals(ScanOptions.DEFAULT_MAX_WALK_DEPTH, chainListed, "the chain stops at the reader's walk bound");
    assertTrue(capture.stream().allMatch(p -> p.startsWith(host)), "nothing outside the root: " + capture);

    Capturer.Plan plan = new Capturer(HostRoots.of(host), new NioControlFiles(), CaptureLimits.DEFAULTS, false,
        System::nanoTime).plan();
    HostSnapshot snapshot = new CgroupScanner().scan(HostRoots.of(host), ScanOptions.DEFAULTS, Clock.systemUTC());
    assertEquals(1, plan.mounts().size(), "the forged mount point is not walked");
    assertEquals(snapshot.cgroups().size(), plan.mounts().get(0).dirs().size(), "one directory per cgroup read");
  }

  @Test
  void captureListsTheDirectoriesTheScannerListsOnEveryFixtureHost() throws Exception {
    for (String name : Fixtures.hostNames()) {
      Path host = Fixtures.host(name);
      List<Path> scan = scanned(host);
      assertFalse(scan.isEmpty(), name + ": the fixture has cgroups");
      assertSameWalk(host, scan, captured(host));
    }
  }
}
