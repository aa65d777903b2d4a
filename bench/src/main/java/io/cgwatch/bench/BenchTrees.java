package io.cgwatch.bench;

import io.cgwatch.fixtures.SyntheticHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Synthetic host roots for the benchmarks, generated once and reused: {@code v2-10000} is a unified tree of 10,000
 * cgroups, {@code v1-10000} a v1 memory layout. Kept under {@code $CGWATCH_BENCH_DIR} (default
 * {@code /var/tmp/cgwatch-bench}, shared with {@code bench/run.sh}); a tree is complete once its {@code .done}
 * marker exists, so an interrupted generation is redone, never used half-written.
 */
final class BenchTrees {
  private BenchTrees() {}

  static Path dir() {
    String env = System.getenv("CGWATCH_BENCH_DIR");
    return Path.of(env != null && !env.isEmpty() ? env : "/var/tmp/cgwatch-bench");
  }

  static synchronized Path tree(String name) {
    String[] parts = name.split("-", 2);
    if (parts.length != 2 || !(parts[0].equals("v1") || parts[0].equals("v2"))) {
      throw new IllegalArgumentException("tree name must be v1-N or v2-N: " + name);
    }
    int n = Integer.parseInt(parts[1]);
    Path tree = dir().resolve(name);
    if (Files.exists(tree.resolve(".done"))) {
      return tree;
    }
    try {
      Path tmp = dir().resolve(name + ".tmp");
      deleteRecursively(tmp);
      Files.createDirectories(dir());
      SyntheticHost.generate(tmp, parts[0].equals("v2") ? SyntheticHost.Spec.unified(n)
          : SyntheticHost.Spec.legacyMemory(n));
      Files.createFile(tmp.resolve(".done"));
      Files.move(tmp, tree);
      return tree;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot generate " + tree, e);
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path q : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(q);
      }
    }
  }
}
