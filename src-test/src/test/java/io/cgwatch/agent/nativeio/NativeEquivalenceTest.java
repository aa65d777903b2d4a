package io.cgwatch.agent.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.cgroupfs.ForwardingControlFiles;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.NioControlFiles;
import io.cgwatch.cgroupfs.ReadBuffer;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.cgroupfs.SlowTierCarry;
import io.cgwatch.fixtures.HostTree;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.ScanError;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native file access ({@link NativeControlFiles}) gives what NIO gives: the same snapshot of every fixture
 * host, in full and with the slow tier carried, and on a hostile tree the same snapshot, the same scan errors and,
 * call by call, the same bytes or the same exception with the same message.
 */
class NativeEquivalenceTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T23:50:00Z"), ZoneOffset.UTC);
  private static final ControlFiles NIO = new NioControlFiles();
  private static final ControlFiles NATIVE = NativeControlFiles.load().files()
      .orElseThrow(() -> new AssertionError("native file access must load on the build host (x86-64 Linux): "
          + NativeControlFiles.load().whyNot()));

  @Test
  void everyFixtureHostScansTheSameInFullAndCarried() {
    for (String host : Fixtures.hostNames()) {
      HostRoots roots = HostRoots.of(Fixtures.host(host));
      HostSnapshot nio = new CgroupScanner(NIO).scan(roots, ScanOptions.DEFAULTS, CLOCK);
      HostSnapshot nat = new CgroupScanner(NATIVE).scan(roots, ScanOptions.DEFAULTS, CLOCK);
      assertSame(host, nio, nat);
      ScanOptions carried = ScanOptions.DEFAULTS.withSlowTierCarried(SlowTierCarry.keys(nio));
      assertSame(host + " (slow tier carried)", new CgroupScanner(NIO).scan(roots, carried, CLOCK),
          new CgroupScanner(NATIVE).scan(roots, carried, CLOCK));
    }
  }

  @Test
  void everyFileAndDirectoryOfTheFixturesReadsAndListsTheSame() throws IOException {
    List<Path> dirs;
    try (Stream<Path> all = Files.walk(Fixtures.dir().resolve("hosts"))) {
      dirs = all.filter(Files::isDirectory).toList();
    }
    int files = 0;
    for (Path dir : dirs) {
      assertListsSame(dir);
      for (String f : NIO.list(dir).files()) {
        assertReadsSame(dir, f);
        files++;
      }
    }
    assertTrue(files > 1000, "the fixtures have control files: " + files);
  }

  @Test
  void aHostileTreeScansTheSameWithTheSameErrorsWordForWord(@TempDir Path tmp) throws Exception {
    Path trap = hostileTree(tmp);
    HostRoots roots = HostRoots.of(tmp);
    HostSnapshot nio = new CgroupScanner(NIO).scan(roots, ScanOptions.DEFAULTS, CLOCK);
    HostSnapshot nat = new CgroupScanner(NATIVE).scan(roots, ScanOptions.DEFAULTS, CLOCK);
    assertSame("hostile tree", nio, nat);
    Set<ScanError.Kind> kinds = new HashSet<>();
    nat.scan().errors().forEach(e -> kinds.add(e.kind()));
    assertTrue(kinds.containsAll(Set.of(ScanError.Kind.NOT_REGULAR_FILE, ScanError.Kind.LIMIT_FILE_BYTES)),
        "the tree's traps give errors: " + nat.scan().errors());
    assertTrue(nat.cgroups().stream().anyMatch(c -> c.path().contains("bad")),
        "the cgroup whose name is not UTF-8 is read: " + nat.cgroups());

    Path nonleaf = trap.resolveSibling("nonleaf");
    for (Path dir : List.of(trap, nonleaf, nonleaf.resolve("memory.low"), trap.getParent(),
        nonUtf8Dir(trap.getParent()))) {
      assertListsSame(dir);
      for (String f : NIO.list(dir).files()) {
        assertReadsSame(dir, f);
      }
    }
    for (Path dir : List.of(trap, nonleaf)) {
      for (String f : List.of("memory.fifo", "memory.link", "memory.dangling", "memory.sock", "memory.zero",
          "memory.null", "memory.stat", "memory.low", "memory.huge", "memory.cap", "memory.cap1", "memory.empty", "no.such")) {
        assertReadsSame(dir, f);
      }
    }
    assertEquals("java.nio.file.NoSuchFileException: " + trap.resolve("no.such"), outcome(() -> bytesOf(NATIVE,
        trap, "no.such", true)), "a missing file is NIO's NoSuchFileException, which ScanContext takes for absent");
  }

  @Test
  void aCgroupRemovedBetweenListingAndReadingIsVanishedWithBoth(@TempDir Path tmp) throws Exception {
    for (ControlFiles real : List.of(NIO, NATIVE)) {
      Path host = tmp.resolve(real == NIO ? "nio" : "native");
      Fixtures.copyTree(Fixtures.host("unified-6.1-dying"), host);
      HostSnapshot before = new CgroupScanner(real).scan(HostRoots.of(host), ScanOptions.DEFAULTS, CLOCK);
      Path victim = host.resolve("sys/fs/cgroup/system.slice/ssh.service");
      ControlFiles removing = new ForwardingControlFiles(real) {
        @Override
        public void readInto(Path dir, String file, ReadBuffer into) throws IOException {
          if (dir.equals(victim) && Files.exists(victim)) {
            deleteTree(victim); // the cgroup's rmdir, after the walk listed it
          }
          super.readInto(dir, file, into);
        }
      };
      HostSnapshot after = new CgroupScanner(removing).scan(HostRoots.of(host), ScanOptions.DEFAULTS, CLOCK);
      assertEquals(1, after.scan().vanished(), real + ": " + after.scan());
      assertEquals(before.cgroups().size() - 1, after.cgroups().size(), real.toString());
      assertEquals(before.scan().errors(), after.scan().errors(), real + ": a vanished cgroup is not an error");
    }
  }

  /**
   * {@code tmp}'s host: a healthy cgroup, a trap leaf ({@code /trap}) and a trap cgroup with a child
   * ({@code /nonleaf}: NIO lists it entry by entry) holding every kind of file that is not a control file, under
   * names the reader reads and names it only lists, and a cgroup whose name is not UTF-8. Returns {@code /trap}.
   */
  private static Path hostileTree(Path tmp) throws Exception {
    HostTree t = HostTree.unified(tmp).kernel("6.12.0");
    t.cgroup("/").file("cgroup.stat", "nr_descendants 4\nnr_dying_descendants 7\n");
    t.cgroup("/ok").file("memory.current", "4096\n").file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 0\n");
    t.cgroup("/nonleaf/child").file("memory.current", "1\n");
    for (String cg : List.of("/trap", "/nonleaf")) {
      t.cgroup(cg).file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 7\n").file("memory.empty", "");
      traps(t.cgroup(cg).dir());
    }
    // a directory where a control file should be: the walk takes it for a child cgroup, with both
    Files.createDirectories(tmp.resolve("sys/fs/cgroup/nonleaf/memory.low"));
    // a cgroup whose name is not UTF-8 (any user can mkdir one in a delegated subtree), made by bytes
    run("python3", "-c", "import os,sys; d=os.fsencode(sys.argv[1])+b'/bad\\xff\\xfeutf8'; os.mkdir(d);"
        + " open(d+b'/cgroup.stat','w').write('nr_descendants 0\\nnr_dying_descendants 2\\n');"
        + " open(d+b'/memory.current','w').write('8192\\n'); open(d+b'/caf\\xe9','w').write('x')",
        tmp.resolve("sys/fs/cgroup").toString());
    return t.cgroup("/trap").dir();
  }

  private static void traps(Path dir) throws Exception {
    run("mkfifo", dir.resolve("memory.pressure").toString());
    run("mkfifo", dir.resolve("memory.fifo").toString());
    Files.createSymbolicLink(dir.resolve("memory.current"), Path.of("/etc/hostname"));
    Files.createSymbolicLink(dir.resolve("memory.link"), Path.of("/etc/hostname"));
    Files.createSymbolicLink(dir.resolve("memory.dangling"), dir.resolve("nowhere"));
    byte[] huge = new byte[NioControlFiles.MAX_FILE_BYTES + 4096];
    Arrays.fill(huge, (byte) '7');
    Files.write(dir.resolve("memory.huge"), huge);
    Files.write(dir.resolve("memory.max"), huge);
    Files.write(dir.resolve("memory.cap"), Arrays.copyOf(huge, NioControlFiles.MAX_FILE_BYTES));
    Files.write(dir.resolve("memory.cap1"), Arrays.copyOf(huge, NioControlFiles.MAX_FILE_BYTES + 1));
    for (String sock : List.of("memory.sock", "memory.events")) {
      try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        s.bind(UnixDomainSocketAddress.of(dir.resolve(sock))); // the node stays: a socket nobody listens on
      }
    }
    if (isRoot()) { // mknod needs root (and as root every permission check passes anyway)
      run("mknod", dir.resolve("memory.zero").toString(), "c", "1", "5"); // /dev/zero: endless
      run("mknod", dir.resolve("memory.null").toString(), "c", "1", "3"); // /dev/null: empty
      run("mknod", dir.resolve("memory.stat").toString(), "c", "1", "5");
    }
  }

  private static Path nonUtf8Dir(Path parent) throws IOException {
    try (Stream<Path> s = Files.list(parent)) {
      return s.filter(p -> p.getFileName().toString().startsWith("bad")).findFirst().orElseThrow();
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    assertEquals(0, p.waitFor(), String.join(" ", cmd));
  }

  private static void assertSame(String what, HostSnapshot nio, HostSnapshot nat) {
    assertEquals(nio.host(), nat.host(), what);
    assertEquals(nio.mode(), nat.mode(), what);
    assertEquals(nio.capabilities(), nat.capabilities(), what);
    assertEquals(nio.hierarchies(), nat.hierarchies(), what);
    assertEquals(nio.dyingMemoryCgroups(), nat.dyingMemoryCgroups(), what);
    assertEquals(nio.cgroups(), nat.cgroups(), what);
    assertEquals(nio.podLogDirs(), nat.podLogDirs(), what);
    assertEquals(nio.scan().cgroupsRead(), nat.scan().cgroupsRead(), what);
    assertEquals(nio.scan().vanished(), nat.scan().vanished(), what);
    assertEquals(nio.scan().errors(), nat.scan().errors(), what + ": errors, word for word");
  }

  private static void assertListsSame(Path dir) {
    Object nio = outcome(() -> sorted(NIO.list(dir)));
    Object nat = outcome(() -> sorted(NATIVE.list(dir)));
    assertEquals(nio, nat, "list " + dir);
  }

  /** A listing with its lists in name order (the order of readdir is the filesystem's) and fsPaths as bytes. */
  private static List<Object> sorted(ControlFiles.Listing l) {
    List<String> subdirs = new ArrayList<>();
    l.subdirectories().stream().sorted(Comparator.comparing(ControlFiles.Subdirectory::name))
        .forEach(d -> subdirs.add(d.name() + " " + d.inode() + " " + d.modifiedMillis() + " " + d.fsPath()));
    return List.of(subdirs, l.files().stream().sorted().toList(), l.procsModifiedMillis());
  }

  /** The same bytes or the same exception (class and message), through the Path read and the by-name read. */
  private static void assertReadsSame(Path dir, String file) {
    Object expected = outcome(() -> bytesOf(NIO, dir, file, false));
    assertEquals(expected, outcome(() -> bytesOf(NATIVE, dir, file, false)), "readInto " + dir + " " + file);
    assertEquals(expected, outcome(() -> bytesOf(NATIVE, dir, file, true)), "readInto by name " + dir + " " + file);
  }

  private static String bytesOf(ControlFiles files, Path dir, String file, boolean byName) throws IOException {
    ReadBuffer b = new ReadBuffer();
    if (byName) {
      files.readInto(dir, file, b);
    } else {
      files.readInto(dir.resolve(file), b);
    }
    return new String(b.bytes(), 0, b.length(), java.nio.charset.StandardCharsets.ISO_8859_1); // byte for byte
  }

  private interface Call {
    Object get() throws IOException;
  }

  /** What a call gave: its value, or its exception's class and message. */
  private static Object outcome(Call c) {
    try {
      return c.get();
    } catch (IOException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
