package io.cgwatch.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.nativeio.NativeControlFiles;
import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.cgroupfs.NioControlFiles;
import io.cgwatch.cgroupfs.ReadBuffer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On the running kernel's cgroupfs (kernfs: entry types from getdents64, no lstat per entry), serve's native file
 * access lists this test's own cgroups as NIO does (files, subdirectories with inode and mtime, cgroup.procs'
 * mtime) and reads their files to the same bytes or the same refusal: a write-only file such as
 * {@code memory.reclaim} or {@code cgroup.kill} gives NIO's exception, word for word.
 */
@Tag("live")
class NativeReadsLiveTest {
  /** Files whose content does not move between two reads of an idle cgroup. */
  private static final Set<String> STABLE = Set.of("cgroup.controllers", "cgroup.subtree_control", "cgroup.type",
      "cgroup.procs", "cgroup.max.depth", "cgroup.stat", "memory.max", "memory.min", "memory.low", "memory.high",
      "memory.limit_in_bytes", "memory.soft_limit_in_bytes", "memory.swappiness", "memory.use_hierarchy",
      "memory.oom_control", "memory.reclaim", "cgroup.kill", "cgroup.event_control", "memory.force_empty",
      "notify_on_release", "tasks");

  static List<LiveHierarchy> hierarchies() {
    return Live.orSkip("NativeReadsLiveTest", LiveHierarchy.writable(), "a cgroup hierarchy");
  }

  @ParameterizedTest(allowZeroInvocations = true)
  @MethodSource("hierarchies")
  void nativeListsAndReadsTheKernelsFilesAsNioDoes(LiveHierarchy h) throws Exception {
    ControlFiles nio = new NioControlFiles();
    ControlFiles nat = NativeControlFiles.load().files().orElseThrow();
    try (TestCgroup cg = TestCgroup.create(h, "native")) {
      cg.mkdir("a");
      cg.mkdir("b");
      Path leaf = cg.dir.resolve("a").resolve("leaf");
      java.nio.file.Files.createDirectory(leaf);
      int compared = 0;
      for (Path dir : List.of(cg.dir, cg.dir.resolve("a"), leaf, cg.dir.resolve("b"))) {
        assertEquals(listing(nio, dir), listing(nat, dir), "list " + dir);
        for (String f : nio.list(dir).files()) {
          if (STABLE.contains(f)) {
            assertEquals(read(nio, dir, f), read(nat, dir, f), dir + "/" + f);
            compared++;
          }
        }
      }
      assertTrue(compared >= 8, "stable files compared: " + compared);
      assertEquals(read(nio, leaf, "no-such-file"), read(nat, leaf, "no-such-file"));
    }
  }

  private static String listing(ControlFiles files, Path dir) throws IOException {
    ControlFiles.Listing l = files.list(dir);
    TreeSet<String> subdirs = new TreeSet<>();
    l.subdirectories().forEach(d -> subdirs.add(d.name() + " " + d.inode() + " " + d.modifiedMillis() + " "
        + d.fsPath()));
    return new TreeSet<>(l.files()) + " " + subdirs + " " + l.procsModifiedMillis();
  }

  private static String read(ControlFiles files, Path dir, String file) {
    try {
      ReadBuffer b = new ReadBuffer();
      files.readInto(dir, file, b);
      return b.string();
    } catch (IOException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }
}
