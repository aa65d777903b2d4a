package io.cgwatch.agent.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/** Writes a capture as a directory tree, in the host-root layout {@code --host-root} reads. */
final class DirectorySink implements CaptureSink {
  private final Path root;
  private final List<Path> dirs = new ArrayList<>();
  private final List<Long> dirMtimes = new ArrayList<>();

  DirectorySink(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    Files.createDirectories(this.root);
  }

  private Path resolve(String path) throws IOException {
    Path p = root.resolve(path).normalize();
    if (!p.startsWith(root)) {
      throw new IOException("refusing to write outside the capture: " + path);
    }
    return p;
  }

  @Override
  public void directory(String path, long mtimeMillis) throws IOException {
    Path p = resolve(path);
    Files.createDirectories(p);
    dirs.add(p);
    dirMtimes.add(mtimeMillis);
  }

  @Override
  public void file(String path, byte[] content, long mtimeMillis) throws IOException {
    Path p = resolve(path);
    Files.createDirectories(p.getParent());
    Files.write(p, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    if (mtimeMillis >= 0) {
      Files.setLastModifiedTime(p, FileTime.fromMillis(mtimeMillis));
    }
  }

  @Override
  public void record(String path, byte[] content) throws IOException {
    Path p = resolve(path);
    Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
    Files.write(tmp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void finish() throws IOException {
    // Deepest last-added first, so setting a child's mtime never disturbs its parent's afterwards.
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Path d = dirs.get(i);
      if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
        Files.setLastModifiedTime(d, FileTime.fromMillis(dirMtimes.get(i)));
      }
    }
    dirs.clear();
    dirMtimes.clear();
  }

  @Override
  public void close() {}
}
