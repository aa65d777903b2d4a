package io.cgwatch.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a captured timeline step with the inodes the directories had on the captured kernel (its {@code INODES}
 * file: {@code <inode> <path relative to /sys/fs/cgroup>}), since every copy on disk has inodes of its own. So
 * a cgroup that lived through several steps keeps its identity, and one removed and recreated does not.
 */
public final class CapturedInodes extends ForwardingControlFiles {
  private final Path cgroupRoot;
  private final Map<Path, Long> inodes = new HashMap<>();

  public CapturedInodes(Path hostRoot) {
    this.cgroupRoot = hostRoot.resolve("sys/fs/cgroup");
    try {
      for (String line : Files.readAllLines(hostRoot.resolve("INODES"))) {
        int space = line.indexOf(' ');
        inodes.put(cgroupRoot.resolve(line.substring(space + 1)).normalize(), Long.parseLong(line.substring(0, space)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long inodeOf(Path dir) {
    Long inode = inodes.get(dir.normalize());
    if (inode == null) {
      throw new IllegalStateException("INODES has no line for " + cgroupRoot.relativize(dir));
    }
    return inode;
  }

  @Override
  public Listing list(Path dir) throws IOException {
    Listing l = super.list(dir);
    List<Subdirectory> dirs = new ArrayList<>();
    for (Subdirectory d : l.subdirectories()) {
      dirs.add(new Subdirectory(d.name(), inodeOf(dir.resolve(d.name())), d.modifiedMillis()));
    }
    return new Listing(dirs, l.files(), l.procsModifiedMillis());
  }

  @Override
  public Subdirectory stat(Path dir) throws IOException {
    Subdirectory s = super.stat(dir);
    return new Subdirectory(s.name(), inodeOf(dir), s.modifiedMillis());
  }
}
