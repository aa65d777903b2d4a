package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.cli.CliRunner;
import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.fixtures.HostTree;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.ScanError;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fake host trees built to trap the reader: special files named like control files, symlinks out of the tree,
 * forged mount points. Each scan runs under {@link NoHang}: before the fix, the FIFO hung every command for good.
 */
class HostileTreeTest {
  private static final String SECRET = "SECRET-root-only-7f3a";

  /** A v2 tree with one healthy leaf ({@code /ok}) and one trap leaf ({@code /trap}) with a normal cgroup.stat. */
  private static HostTree tree(Path root) {
    HostTree t = HostTree.unified(root).kernel("6.12.0");
    t.cgroup("/").file("cgroup.stat", "nr_descendants 2\nnr_dying_descendants 7\n");
    t.cgroup("/ok").file("memory.current", "4096\n").file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 0\n");
    t.cgroup("/trap").file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 7\n");
    return t;
  }

  private static HostSnapshot scan(Path root) throws Exception {
    return NoHang.run("scan of " + root, () -> new CgroupScanner().scan(HostRoots.of(root), new ScanOptions(3),
        Clock.systemUTC()));
  }

  private static ScanError errorFor(HostSnapshot s, String file) {
    return s.scan().errors().stream().filter(e -> e.file().equals(file)).findFirst()
        .orElseThrow(() -> new AssertionError("no error for " + file + ": " + s.scan().errors()));
  }

  private static void mkfifo(Path p) throws Exception {
    Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertEquals(0, mk.waitFor());
  }

  @Test
  void fifoNamedLikeAControlFileIsAnErrorNotAHang(@TempDir Path tmp) throws Exception {
    HostTree t = tree(tmp);
    mkfifo(t.cgroup("/trap").dir().resolve("memory.stat"));
    long start = System.nanoTime();
    HostSnapshot s = scan(tmp);
    ScanError e = errorFor(s, "memory.stat");
    assertEquals(ScanError.Kind.NOT_REGULAR_FILE, e.kind());
    assertEquals("/sys/fs/cgroup/trap", e.path());
    assertTrue(e.message().contains("FIFO"), e.message());
    // the rest of the tree, and the rest of the trap cgroup, are read
    assertEquals(3, s.cgroups().size());
    assertEquals(7L, s.hierarchies().get(0).dying().count().orElse(-1));
    System.out.printf("fifo: scan of 3 cgroups with a FIFO done in %.1f ms%n", (System.nanoTime() - start) / 1e6);

    // and every command that used to block forever answers: diagnose (text, JSON), capture, replay of the capture
    CliRunner.Result text = NoHang.run("diagnose", () -> CliRunner.run("diagnose", "--host-root", tmp.toString()));
    assertTrue(text.out().contains("not_regular_file"), text.out());
    CliRunner.Result json = NoHang.run("diagnose --json",
        () -> CliRunner.run("diagnose", "--json", "--host-root", tmp.toString()));
    assertTrue(json.out().contains("\"not_regular_file\""), json.out());
    Path out = tmp.resolveSibling(tmp.getFileName() + "-capture");
    CliRunner.Result cap = NoHang.run("capture", () -> CliRunner.run("capture", "--host-root", tmp.toString(),
        out.toString()));
    assertEquals(0, cap.exitCode(), cap.out() + cap.err());
    assertFalse(Files.exists(out.resolve("sys/fs/cgroup/trap/memory.stat")), "the FIFO is not copied");
    CliRunner.Result replay = NoHang.run("replay", () -> CliRunner.run("replay", out.toString()));
    assertEquals(0, replay.exitCode(), replay.out() + replay.err());
  }

  @Test
  void deviceAndSocketNamedLikeControlFilesAreErrors(@TempDir Path tmp) throws Exception {
    HostTree t = tree(tmp);
    Path trap = t.cgroup("/trap").dir();
    try (ServerSocketChannel sock = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      sock.bind(UnixDomainSocketAddress.of(trap.resolve("memory.events")));
      boolean device = new ProcessBuilder("mknod", trap.resolve("memory.stat").toString(), "c", "1", "5")
          .start().waitFor() == 0; // /dev/zero: endless
      HostSnapshot s = scan(tmp);
      assertEquals(ScanError.Kind.NOT_REGULAR_FILE, errorFor(s, "memory.events").kind());
      assertTrue(errorFor(s, "memory.events").message().contains("socket"));
      if (device) {
        assertEquals(ScanError.Kind.NOT_REGULAR_FILE, errorFor(s, "memory.stat").kind());
        assertTrue(errorFor(s, "memory.stat").message().contains("character device"));
      } else {
        System.out.println("SKIPPED device node part of HostileTreeTest: mknod needs root (socket part ran)");
      }
      assertEquals(3, s.cgroups().size());
    }
  }

  @Test
  void symlinkToARootOnlyFileIsNotFollowedAndItsContentNeverShows(@TempDir Path tmp) throws Exception {
    Path secret = tmp.resolve("root-only");
    Files.writeString(secret, "anon 1\nfile " + SECRET + "\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Path host = tmp.resolve("host");
    HostTree t = tree(host);
    Files.createSymbolicLink(t.cgroup("/trap").dir().resolve("memory.stat"), secret);
    Files.createSymbolicLink(t.cgroup("/trap").dir().resolve("memory.current"), Path.of("/etc/shadow"));
    HostSnapshot s = scan(host);
    for (String f : List.of("memory.stat", "memory.current")) {
      ScanError e = errorFor(s, f);
      assertEquals(ScanError.Kind.NOT_REGULAR_FILE, e.kind());
      assertTrue(e.message().contains("symbolic link"), e.message());
      assertFalse(e.message().contains("shadow") || e.message().contains("root-only"), "no target in " + e);
    }
    for (String format : List.of("text", "json", "openmetrics")) {
      CliRunner.Result r = NoHang.run("diagnose " + format,
          () -> CliRunner.run("diagnose", "--format", format, "--host-root", host.toString()));
      assertFalse((r.out() + r.err()).contains(SECRET), format + " shows the link's target content");
      assertFalse((r.out() + r.err()).contains("root-only"), format + " names the link's target");
    }
  }

  @Test
  void mountPointWithDotDotIsRefused(@TempDir Path tmp) throws Exception {
    HostTree t = HostTree.withMountinfo(tmp,
        "30 23 0:26 / /sys/fs/cgroup/../../../../etc rw,relatime shared:4 - cgroup2 cgroup2 rw\n");
    t.kernel("6.12.0");
    HostSnapshot s = scan(tmp);
    assertTrue(s.hierarchies().isEmpty(), s.hierarchies().toString());
    ScanError e = s.scan().errors().stream().filter(x -> x.kind() == ScanError.Kind.OUTSIDE_ROOT).findFirst()
        .orElseThrow(() -> new AssertionError(s.scan().errors().toString()));
    assertTrue(e.message().contains("'..'") && e.message().contains("refused"), e.message());
    CliRunner.Result r = CliRunner.run("diagnose", "--host-root", tmp.toString());
    assertEquals(3, r.exitCode(), "no hierarchy could be read: UNKNOWN\n" + r.out() + r.err());
    assertTrue(r.out().contains("outside_root"), r.out());
  }

  @Test
  void mountPointThatIsASymlinkOutOfTheTreeIsRefused(@TempDir Path tmp) throws Exception {
    Path elsewhere = tmp.resolve("elsewhere");
    HostTree other = HostTree.unified(elsewhere);
    other.cgroup("/").file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 99\n");
    Path host = tmp.resolve("host");
    HostTree.withMountinfo(host, HostTree.V2_MOUNTINFO).kernel("6.12.0");
    Files.createDirectories(host.resolve("sys/fs"));
    Files.createSymbolicLink(host.resolve("sys/fs/cgroup"), elsewhere.resolve("sys/fs/cgroup"));
    HostSnapshot s = scan(host);
    assertTrue(s.hierarchies().isEmpty(), "the linked tree must not be read: " + s.hierarchies());
    assertTrue(s.scan().errors().stream().anyMatch(e -> e.kind() == ScanError.Kind.OUTSIDE_ROOT
        && e.message().contains("leads outside")), s.scan().errors().toString());
  }
}
