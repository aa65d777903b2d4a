package io.cgwatch.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A parent cgroup {@code cgwatch-test-<scenario>-<random>} that one live test owns: children are made and removed
 * through it, {@link #dump} shows what the kernel said when an assertion fails, and {@link #close} removes
 * whatever is left, bottom-up, even after a failure. Nothing outside it is ever written.
 */
final class TestCgroup implements AutoCloseable {
  private static final List<String> SHOWN = List.of("cgroup.stat", "cgroup.events", "cgroup.procs",
      "cgroup.subtree_control", "memory.current", "memory.usage_in_bytes", "memory.stat");

  final LiveHierarchy hierarchy;
  final Path dir;

  private TestCgroup(LiveHierarchy hierarchy, Path dir) {
    this.hierarchy = hierarchy;
    this.dir = dir;
  }

  static TestCgroup create(LiveHierarchy h, String scenario) throws IOException {
    Path dir = h.mount().resolve("cgwatch-test-" + scenario + "-" + UUID.randomUUID().toString().substring(0, 8));
    Files.createDirectory(dir);
    TestCgroup cg = new TestCgroup(h, dir);
    if (h.version() == 2 && h.memory()) {
      Files.writeString(dir.resolve("cgroup.subtree_control"), "+memory");
    }
    return cg;
  }

  /** The path as cgwatch names it: relative to the mount, with a leading slash. */
  String path() {
    return "/" + dir.getFileName();
  }

  String path(String child) {
    return path() + "/" + child;
  }

  Path mkdir(String child) throws IOException {
    return Files.createDirectory(dir.resolve(child));
  }

  /** rmdir; a cgroup can be busy for a moment after its last task exits, so retry briefly. */
  static void rmdir(Path cgroup) throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        Files.delete(cgroup);
        return;
      } catch (IOException e) {
        if (attempt >= 50 || !Files.exists(cgroup)) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  /** Runs {@code script} with sh in cgroup {@code child}: the shell moves itself there first. */
  void runIn(String child, String script) throws IOException, InterruptedException {
    Path procs = dir.resolve(child).resolve("cgroup.procs");
    sh("echo $$ > " + quote(procs) + " && " + script);
  }

  static void sh(String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("'" + script + "' exited " + p.exitValue() + ": " + out);
    }
  }

  static String quote(Path p) {
    return "'" + p.toString().replace("'", "'\\''") + "'";
  }

  /** The kernel's own files for this subtree, the mount's root counts and /proc/cgroups, for a failure report. */
  String dump() {
    StringBuilder sb = new StringBuilder("---- cgroup files of ").append(hierarchy).append(" ----\n");
    appendFile(sb, hierarchy.mount().resolve("cgroup.stat"));
    appendFile(sb, Path.of("/proc/cgroups"));
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path d : s.filter(Files::isDirectory).toList()) {
        for (String f : SHOWN) {
          appendFile(sb, d.resolve(f));
        }
      }
    } catch (IOException e) {
      sb.append("(cannot walk ").append(dir).append(": ").append(e).append(")\n");
    }
    return sb.toString();
  }

  private static void appendFile(StringBuilder sb, Path f) {
    if (!Files.exists(f)) {
      return;
    }
    sb.append("== ").append(f).append('\n');
    try {
      sb.append(Files.readString(f));
    } catch (IOException e) {
      sb.append("(unreadable: ").append(e).append(")\n");
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> dirs;
    try (Stream<Path> s = Files.walk(dir)) {
      dirs = new ArrayList<>(s.filter(Files::isDirectory).toList());
    }
    dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed()); // children before parents
    for (Path d : dirs) {
      rmdir(d);
    }
  }
}
