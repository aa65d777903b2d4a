package io.cgwatch.agent.reclaim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.fixtures.HostTree;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReclaimCommandTest {
  static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

  record Result(int exitCode, String out, String err) {}

  static Result run(String... args) {
    return run(new ReclaimCommand(FIXED), args);
  }

  /**
   * The real write, without the cgroup2 filesystem check that refuses every fake tree: for the tests of what is
   * written and how a blocked write ends. That the default command refuses these trees is its own test below.
   */
  static ReclaimCommand unchecked() {
    return new ReclaimCommand(FIXED, ReclaimWriter.FILES);
  }

  static Result run(ReclaimCommand command, String... args) {
    CommandLine cli = new CommandLine(command);
    cli.getCommandSpec().exitCodeOnInvalidInput(3);
    cli.getCommandSpec().exitCodeOnExecutionException(3);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @TempDir
  Path tmp;

  // ---------- dry run ----------

  @Test
  void dryRunPrintsThePlanAndWritesNothing() throws IOException {
    Path host = Fixtures.host("unified-6.1-dying");
    Map<String, String> before = tree(host);
    Result r = run("--host-root", host.toString(), "--cgroup", "/jobs");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("nr_dying_descendants: 4"), r.out());
    assertTrue(r.out().contains("orphaned page cache: 32.0 MiB (33554432 bytes"), r.out());
    assertTrue(r.out().contains("would write: echo 33554432 > /sys/fs/cgroup/jobs/memory.reclaim\n"), r.out());
    assertTrue(r.out().contains("memory.reclaim is not in this tree"), r.out());
    assertTrue(r.out().contains("dry run: nothing written"), r.out());
    assertEquals(before, tree(host), "the dry run changed the fixture tree");
  }

  @Test
  void dryRunAcceptsPathWithoutLeadingSlashAndExplicitSmallerBytes() throws IOException {
    Path host = Fixtures.host("unified-6.1-dying");
    Map<String, String> before = tree(host);
    Result r = run("--host-root", host.toString(), "--cgroup", "jobs/", "--bytes", "16M");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("would write: echo 16777216 > /sys/fs/cgroup/jobs/memory.reclaim"), r.out());
    assertEquals(before, tree(host));
  }

  @Test
  void dryRunJson() throws IOException {
    Path host = Fixtures.host("unified-6.1-dying");
    Result r = run("--host-root", host.toString(), "--cgroup", "/jobs", "--json");
    assertEquals(0, r.exitCode(), r.err());
    String o = r.out();
    assertTrue(o.contains("\"cgroup\" : \"/jobs\""), o);
    assertTrue(o.contains("\"mount_point\" : \"/sys/fs/cgroup\""), o);
    assertTrue(o.contains("\"dry_run\" : true"), o);
    assertTrue(o.contains("\"bytes\" : 33554432"), o);
    assertTrue(o.contains("\"dying_before\" : 4"), o);
    assertTrue(o.contains("\"orphaned_file_bytes_before\" : 33554432"), o);
    assertTrue(o.contains("\"dying_after\" : null"), o);
    assertTrue(o.contains("\"orphaned_file_bytes_after\" : null"), o);
    assertTrue(o.contains("\"outcome\" : \"dry_run\""), o);
    assertTrue(o.contains("echo 33554432 > /sys/fs/cgroup/jobs/memory.reclaim"), o);
    assertFalse(o.contains("cgwatch reclaim at"), "JSON mode prints only JSON");
  }

  // ---------- refusals ----------

  @Test
  void refusesCgroupV1WithForceEmptyAdvice() {
    for (String h : new String[] {"legacy-v1", "hybrid-6.18"}) {
      Result r = run("--host-root", Fixtures.host(h).toString(), "--cgroup", "/");
      assertEquals(3, r.exitCode(), h);
      assertTrue(r.err().contains("cgroup v1"), r.err());
      assertTrue(r.err().contains("memory.force_empty"), r.err());
      assertTrue(r.err().contains("drop_caches"), r.err());
      assertEquals("", r.out());
    }
  }

  @Test
  void refusesOldKernel() {
    Result r = run("--host-root", Fixtures.host("edge-no-psi").toString(), "--cgroup", "/system.slice");
    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("kernel 4.19.0 has no memory.reclaim (it came in 5.19)"), r.err());
  }

  @Test
  void refusesRootWithoutForce() {
    Result r = run("--host-root", Fixtures.host("unified-6.1-dying").toString(), "--cgroup", "/");
    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("root cgroup"), r.err());
    assertTrue(r.err().contains("--force"), r.err());
    // --force on the root still needs an explicit amount: there is no estimate for the root
    Result f = run("--host-root", Fixtures.host("unified-6.1-dying").toString(), "--cgroup", "/", "--force");
    assertEquals(3, f.exitCode());
    assertTrue(f.err().contains("--bytes"), f.err());
    Result ok = run("--host-root", Fixtures.host("unified-6.1-dying").toString(), "--cgroup", "/", "--force",
        "--bytes", "1M");
    assertEquals(0, ok.exitCode(), ok.err());
    assertTrue(ok.out().contains("echo 1048576 > /sys/fs/cgroup/memory.reclaim"), ok.out());
  }

  @Test
  void refusesMoreBytesThanTheEstimateWithoutForce() {
    String host = Fixtures.host("unified-6.1-dying").toString();
    Result r = run("--host-root", host, "--cgroup", "/jobs", "--bytes", "1G");
    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("more than the 33554432 bytes (32.0 MiB)"), r.err());
    assertTrue(r.err().contains("--bytes 33554432"), r.err());
    Result forced = run("--host-root", host, "--cgroup", "/jobs", "--bytes", "1G", "--force");
    assertEquals(0, forced.exitCode(), forced.err());
    assertTrue(forced.out().contains("echo 1073741824 > /sys/fs/cgroup/jobs/memory.reclaim"), forced.out());
  }

  @Test
  void refusesUnknownCgroupAndBadArguments() {
    String host = Fixtures.host("unified-6.1-dying").toString();
    Result r = run("--host-root", host, "--cgroup", "/nope");
    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("no cgroup /nope"), r.err());
    Result dots = run("--host-root", host, "--cgroup", "/jobs/../..");
    assertEquals(3, dots.exitCode());
    assertTrue(dots.err().contains(".."), dots.err());
    Result frac = run("--host-root", host, "--cgroup", "/jobs", "--bytes", "1.5G");
    assertEquals(3, frac.exitCode());
    assertTrue(frac.err().contains("no fractions"), frac.err());
    Result timeout = run("--host-root", host, "--cgroup", "/jobs", "--timeout", "soon");
    assertEquals(3, timeout.exitCode());
    Result missing = run("--host-root", host);
    assertEquals(3, missing.exitCode());
    assertTrue(missing.err().contains("--cgroup"), missing.err());
  }

  @Test
  void executeRefusesWhenMemoryReclaimIsMissingAndCreatesNothing() throws IOException {
    Path host = Fixtures.host("unified-6.1-dying");
    Map<String, String> before = tree(host);
    Result r = run("--host-root", host.toString(), "--cgroup", "/jobs", "--execute");
    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("no memory.reclaim"), r.err());
    assertEquals(before, tree(host));
  }

  @Test
  void refusalsAreReclaimRefusedSoAHandlerCanOmitTheUsageText() {
    CommandLine cli = new CommandLine(new ReclaimCommand(FIXED));
    Object[] seen = new Object[1];
    cli.setParameterExceptionHandler((ex, args) -> {
      seen[0] = ex;
      return 3;
    });
    int code = cli.execute("--host-root", Fixtures.host("legacy-v1").toString(), "--cgroup", "/");
    assertEquals(3, code);
    assertTrue(seen[0] instanceof ReclaimRefused, String.valueOf(seen[0]));
  }

  @Test
  void refusesUnknownKernelWithoutTheFileAndATargetWithoutTheMemoryController() {
    HostTree t = HostTree.unified(tmp.resolve("host"));
    t.cgroup("/").file("cgroup.controllers", "cpu memory\n").file("cgroup.subtree_control", "cpu\n")
        .file("cgroup.stat", "nr_descendants 1\nnr_dying_descendants 0\n");
    t.cgroup("/a").file("cgroup.controllers", "cpu\n").file("cgroup.stat", "nr_descendants 0\n");
    t.cgroup("/b").file("cgroup.controllers", "memory\n").file("cgroup.stat", "nr_descendants 0\n");
    Result unknownKernel = run("--host-root", t.root().toString(), "--cgroup", "/b");
    assertEquals(3, unknownKernel.exitCode());
    assertTrue(unknownKernel.err().contains("kernel version is unknown"), unknownKernel.err());
    t.kernel("6.12.0");
    Result noMemory = run("--host-root", t.root().toString(), "--cgroup", "/a");
    assertEquals(3, noMemory.exitCode());
    assertTrue(noMemory.err().contains("memory controller is not enabled at /a"), noMemory.err());
  }

  // ---------- execute against a fake target ----------

  @Test
  void executeWritesExactlyTheByteCountAndReportsBeforeAndAfter() throws IOException {
    Path host = copyFixture("unified-6.1-dying");
    Path target = host.resolve("sys/fs/cgroup/jobs/memory.reclaim");
    Files.writeString(target, "");
    Map<String, String> before = tree(host);
    Result r = run(unchecked(), "--host-root", host.toString(), "--cgroup", "/jobs", "--execute");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("33554432", Files.readString(target));
    assertTrue(r.out().contains("writing: echo 33554432 > /sys/fs/cgroup/jobs/memory.reclaim"), r.out());
    assertTrue(r.out().contains("outcome: reclaimed"), r.out());
    assertTrue(r.out().matches("(?s).*nr_dying_descendants\\s+4\\s+4\\n.*"), r.out());
    assertTrue(r.out().matches("(?s).*orphaned file\\s+32\\.0 MiB\\s+32\\.0 MiB\\n.*"), r.out());
    assertTrue(r.out().contains("sync"), "the still-dying hint names sync: " + r.out());
    // only memory.reclaim changed
    Map<String, String> after = tree(host);
    after.remove("sys/fs/cgroup/jobs/memory.reclaim");
    before.remove("sys/fs/cgroup/jobs/memory.reclaim");
    assertEquals(before, after);

    // WRITE without TRUNCATE_EXISTING (as on the kernel file): empty the fake target so the read-back is exact
    Files.writeString(target, "");
    Result json = run(unchecked(), "--host-root", host.toString(), "--cgroup", "/jobs", "--execute", "--bytes", "4K",
        "--json");
    assertEquals(0, json.exitCode(), json.err());
    assertEquals("4096", Files.readString(target));
    assertTrue(json.out().contains("\"outcome\" : \"reclaimed\""), json.out());
    assertTrue(json.out().contains("\"dry_run\" : false"), json.out());
    assertTrue(json.out().contains("\"dying_after\" : 4"), json.out());
    assertTrue(json.out().contains("\"orphaned_file_bytes_after\" : 33554432"), json.out());
  }

  @Test
  void eagainIsReportedAsPartialWithExitZero() throws IOException {
    Path host = copyFixture("unified-6.1-dying");
    Files.writeString(host.resolve("sys/fs/cgroup/jobs/memory.reclaim"), "");
    ReclaimCommand eagain = new ReclaimCommand(FIXED, (file, payload) -> {
      throw new IOException("Resource temporarily unavailable");
    });
    Result r = run(eagain, "--host-root", host.toString(), "--cgroup", "/jobs", "--execute");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("outcome: partial: the kernel reclaimed less than the 33554432 bytes asked"),
        r.out());
  }

  @Test
  void aFailedWriteExitsOne() throws IOException {
    Path host = copyFixture("unified-6.1-dying");
    Files.writeString(host.resolve("sys/fs/cgroup/jobs/memory.reclaim"), "");
    ReclaimCommand denied = new ReclaimCommand(FIXED, (file, payload) -> {
      throw new IOException("Permission denied");
    });
    Result r = run(denied, "--host-root", host.toString(), "--cgroup", "/jobs", "--execute", "--json");
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.out().contains("\"outcome\" : \"failed\""), r.out());
    assertTrue(r.out().contains("Permission denied"), r.out());
  }

  @Test
  void executeOnHostTreeWithPartialView() throws IOException {
    HostTree t = HostTree.withMountinfo(tmp.resolve("host"),
        "30 23 0:26 /kubepods /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n").kernel("6.6.0");
    t.cgroup("/").file("cgroup.controllers", "cpu memory pids\n").file("cgroup.subtree_control", "memory\n")
        .file("cgroup.stat", "nr_descendants 1\nnr_dying_descendants 2\n");
    t.cgroup("/pod").file("cgroup.controllers", "memory\n").file("cgroup.subtree_control", "memory\n")
        .file("cgroup.stat", "nr_descendants 1\nnr_dying_descendants 2\n")
        .file("memory.current", "20971520\n").file("memory.stat", "anon 0\nfile 16777216\n")
        .file("memory.reclaim", "");
    t.cgroup("/pod/c1").file("cgroup.controllers", "memory\n")
        .file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 0\n")
        .file("memory.current", "4194304\n").file("memory.stat", "anon 0\nfile 4194304\n");
    Result r = run(unchecked(), "--host-root", t.root().toString(), "--cgroup", "/pod", "--execute");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("12582912", Files.readString(t.cgroup("/pod").dir().resolve("memory.reclaim")));
    assertTrue(r.out().contains("partial view"), r.out());
    assertTrue(r.out().contains("orphaned page cache: 12.0 MiB"), r.out());
  }

  @Test
  void executeRefusesAPlainFileOutsideACgroup2Filesystem() throws IOException {
    // Before the check this "succeeded": the number went into a plain file and the output said "reclaimed".
    Path host = copyFixture("unified-6.1-dying");
    Path target = host.resolve("sys/fs/cgroup/jobs/memory.reclaim");
    Files.writeString(target, "");
    Result r = run("--host-root", host.toString(), "--cgroup", "/jobs", "--execute");
    assertEquals(3, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("not on a cgroup v2 filesystem (statfs magic 0x"), r.err());
    assertFalse(r.out().contains("reclaimed"), r.out());
    assertEquals("", Files.readString(target), "nothing written");
  }

  @Test
  void executeRefusesAMountPointThatEscapesTheHostRoot() throws IOException {
    // The case: a mount point with .. in mountinfo led reclaim to write outside the host root.
    Path outside = tmp.resolve("outside");
    Files.createDirectories(outside.resolve("jobs"));
    Files.writeString(outside.resolve("jobs/memory.reclaim"), "");
    HostTree t = HostTree.withMountinfo(tmp.resolve("host"),
        "30 23 0:26 / /sys/fs/cgroup/../../../../outside rw - cgroup2 cgroup2 rw\n").kernel("6.6.0");
    Result r = run(unchecked(), "--host-root", t.root().toString(), "--cgroup", "/jobs", "--execute");
    assertEquals(3, r.exitCode(), r.out() + r.err());
    assertEquals("", Files.readString(outside.resolve("jobs/memory.reclaim")), "nothing written outside the root");
  }

  @Test
  void executeRefusesASymlinkedTarget() throws IOException {
    Path host = copyFixture("unified-6.1-dying");
    Path elsewhere = tmp.resolve("elsewhere");
    Files.writeString(elsewhere, "untouched");
    Files.createSymbolicLink(host.resolve("sys/fs/cgroup/jobs/memory.reclaim"), elsewhere);
    Result r = run("--host-root", host.toString(), "--cgroup", "/jobs", "--execute");
    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("symbolic link"), r.err());
    assertEquals("untouched", Files.readString(elsewhere));
  }

  @Test
  void aWriteThatBlocksTimesOutAndIsAbandoned() throws Exception {
    Path host = copyFixture("unified-6.1-dying");
    Path fifo = host.resolve("sys/fs/cgroup/jobs/memory.reclaim");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, mk.waitFor());
    try {
      long t0 = System.nanoTime();
      Result r = run(unchecked(), "--host-root", host.toString(), "--cgroup", "/jobs", "--execute", "--timeout",
          "200ms",
          "--json");
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertEquals(1, r.exitCode(), r.out() + r.err());
      assertTrue(r.out().contains("\"outcome\" : \"timed_out\""), r.out());
      assertTrue(r.out().contains("did not return within 200 ms"), r.out());
      assertTrue(ms < 5000, "returned after " + ms + " ms");
      Thread worker = Thread.getAllStackTraces().keySet().stream()
          .filter(th -> th.getName().equals("cgwatch-reclaim-write")).findFirst().orElse(null);
      if (worker != null) {
        assertTrue(worker.isDaemon(), "the abandoned worker must not keep the JVM alive");
      }
    } finally {
      // unblock the abandoned writer's open() by opening the FIFO for reading, then remove it
      Thread reader = new Thread(() -> {
        try (InputStream in = Files.newInputStream(fifo)) {
          in.readAllBytes();
        } catch (IOException ignored) {
          // the writer may already be gone
        }
      });
      reader.setDaemon(true);
      reader.start();
      reader.join(2000);
      Files.deleteIfExists(fifo);
    }
  }

  // ---------- helpers ----------

  private Path copyFixture(String name) throws IOException {
    Path src = Fixtures.host(name);
    Path dst = tmp.resolve(name);
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path d = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(d);
        } else {
          Files.copy(p, d);
        }
      }
    }
    return dst;
  }

  /** Every path under root with its size, mtime and type: any write or create shows as a difference. */
  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        m.put(root.relativize(p).toString(), a.size() + " " + a.lastModifiedTime().toMillis() + " "
            + (a.isDirectory() ? "d" : a.isRegularFile() ? "f" : "o"));
      }
    }
    return m;
  }
}
