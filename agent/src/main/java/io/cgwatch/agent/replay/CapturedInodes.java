package io.cgwatch.agent.replay;

import io.cgwatch.cgroupfs.ForwardingControlFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a captured host root with the inodes its cgroup directories had on the captured host (its {@code INODES}
 * file: {@code <inode> <path relative to sys/fs/cgroup>}, {@code .} for the root), since every copy on disk has
 * inodes of its own. So a cgroup that lived through several captures keeps its identity, and one removed and
 * recreated between them does not.
 */
public final class CapturedInodes extends ForwardingControlFiles {
  public static final String FILE = "INODES";

  private final Path cgroupRoot;
  private final Map<Path, Long> inodes = new HashMap<>();

  public CapturedInodes(Path hostRoot) throws IOException {
    this.cgroupRoot = hostRoot.resolve("sys/fs/cgroup");
    for (String line : Files.readAllLines(hostRoot.resolve(FILE))) {
      int space = line.indexOf(' ');
      if (space <= 0) {
        continue;
      }
      inodes.put(cgroupRoot.resolve(line.substring(space + 1)).normalize(), Long.parseLong(line.substring(0, space)));
    }
  }

  /** The captured inode, or the copy's own when INODES has no line for the directory. */
  private long inodeOf(Path dir, long own) {
    return inodes.getOrDefault(dir.normalize(), own);
  }

  @Override
  public Listing list(Path dir) throws IOException {
    Listing l = super.list(dir);
    List<Subdirectory> dirs = new ArrayList<>();
    for (Subdirectory d : l.subdirectories()) {
      dirs.add(new Subdirectory(d.name(), inodeOf(d.in(dir), d.inode()), d.modifiedMillis(), d.fsPath()));
    }
    return new Listing(dirs, l.files(), l.procsModifiedMillis());
  }

  @Override
  public Subdirectory stat(Path dir) throws IOException {
    Subdirectory s = super.stat(dir);
    return new Subdirectory(s.name(), inodeOf(dir, s.inode()), s.modifiedMillis());
  }
}
