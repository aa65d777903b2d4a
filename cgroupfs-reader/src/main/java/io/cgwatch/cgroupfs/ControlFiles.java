package io.cgwatch.cgroupfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The only file access the reader does, kept to three calls so tests can put a double in front of it (to
 * remove a cgroup between listing and reading, deterministically).
 */
public interface ControlFiles {
  /** A directory's entries, split into subdirectories (with inodes) and file names. Symlinks are ignored. */
  Listing list(Path dir) throws IOException;

  /** A control file's whole content; refuses files larger than {@link NioControlFiles#MAX_FILE_BYTES}. */
  String read(Path file) throws IOException;

  /** Whether the directory still exists (to tell a vanished cgroup from a missing file). */
  boolean isDirectory(Path dir);

  /** Inode of a directory (a cgroup's identity together with its path). */
  long inode(Path dir) throws IOException;

  record Subdirectory(String name, long inode) {}

  record Listing(List<Subdirectory> subdirectories, List<String> files) {
    public Listing {
      subdirectories = List.copyOf(subdirectories);
      files = List.copyOf(files);
    }
  }
}
