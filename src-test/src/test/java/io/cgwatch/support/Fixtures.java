package io.cgwatch.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths into the checked-in {@code fixtures/} directory (passed in by Surefire as {@code fixtures.dir}). */
public final class Fixtures {
  private Fixtures() {}

  public static Path dir() {
    String dir = System.getProperty("fixtures.dir");
    if (dir == null) {
      throw new IllegalStateException("system property fixtures.dir is not set (run through Maven)");
    }
    return Path.of(dir).toAbsolutePath().normalize();
  }

  /** A host-root tree under {@code fixtures/hosts/}. */
  public static Path host(String name) {
    Path p = dir().resolve("hosts").resolve(name);
    if (!Files.isDirectory(p)) {
      throw new IllegalArgumentException("no fixture host " + p);
    }
    return p;
  }

  /** The names of every host-root tree, sorted. */
  public static List<String> hostNames() {
    try (Stream<Path> s = Files.list(dir().resolve("hosts"))) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a tree (a fixture host, say); symbolic links are copied as links, not followed. */
  public static void copyTree(Path from, Path to) throws java.io.IOException {
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (java.nio.file.Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          java.nio.file.Files.createDirectories(target);
        } else {
          java.nio.file.Files.copy(p, target, java.nio.file.LinkOption.NOFOLLOW_LINKS,
              java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
