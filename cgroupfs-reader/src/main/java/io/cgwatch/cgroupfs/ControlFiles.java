package io.cgwatch.cgroupfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The only file access the reader does, kept to three calls so tests can put a double in front of it (to
 * remove a cgroup between listing and reading, deterministically).
 */
public interface ControlFiles {
  /** A directory's entries, split into subdirectories (with inodes) and file names. Symlinks are ignored. */
  Listing list(Path dir) throws IOException;

  /** A control file's whole content; refuses files larger than {@link NioControlFiles#MAX_FILE_BYTES}. */
  String read(Path file) throws IOException;

  /**
   * The same content as {@link #read}, into {@code into} instead of a new String: the scan's hot path. Same
   * refusals and errors as {@link #read}. The default goes through {@link #read}, so a file access that only
   * implements that (a test double) keeps working unchanged.
   */
  default void readInto(Path file, ReadBuffer into) throws IOException {
    into.set(read(file));
  }

  /**
   * {@code file} of the directory {@code dir}, into {@code into}: the same as {@link #readInto(Path, ReadBuffer)}
   * of {@code dir.resolve(file)}, which is what the default does. A file access that opens files by name (the
   * native one) overrides it so a scan builds no {@code Path} per file; {@code file} is a control file's name,
   * never a path.
   */
  default void readInto(Path dir, String file, ReadBuffer into) throws IOException {
    readInto(dir.resolve(file), into);
  }

  /**
   * A host file ({@code /proc/cgroups}, {@code /proc/self/mountinfo}, ...): unlike a control file, symlinks are
   * followed (a container's {@code --proc-root} is a directory of links to the node's {@code /proc}), but what they
   * lead to must still be a regular file.
   */
  default String readHostFile(Path file) throws IOException {
    return read(file);
  }

  /**
   * Whether a file's owner may write it, by its mode bits, without opening it (kernfs gives write-only files such as
   * {@code memory.reclaim} mode 0200); empty when the mode cannot be read.
   */
  default Optional<Boolean> ownerWritable(Path file) {
    try {
      return Optional.of(java.nio.file.Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class,
          java.nio.file.LinkOption.NOFOLLOW_LINKS).permissions()
          .contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE));
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** Whether the directory still exists (to tell a vanished cgroup from a missing file). */
  boolean isDirectory(Path dir);

  /** Inode and mtime of a directory (a mount's root), as a {@link Subdirectory} named after it. */
  Subdirectory stat(Path dir) throws IOException;

  /**
   * A subdirectory; {@code modifiedMillis} is its mtime, which kernfs sets when the directory's inode is first made:
   * at the first lookup after the cgroup's creation (usually by its creator), and not moved by later changes.
   *
   * @param name the name decoded for display (bytes that are not valid in the JVM's file-name encoding become
   *     U+FFFD or '?'), never used to open anything
   * @param fsPath the path as the directory listing returned it, raw bytes kept, or null when unknown; a name
   *     that is not valid UTF-8 (any user can mkdir one in a delegated subtree) cannot be rebuilt from
   *     {@code name}: resolving it threw InvalidPathException under a POSIX locale and hid the cgroup under UTF-8
   */
  record Subdirectory(String name, long inode, long modifiedMillis, Path fsPath) {
    public Subdirectory(String name, long inode, long modifiedMillis) {
      this(name, inode, modifiedMillis, null);
    }

    /** Where this subdirectory of {@code parent} is opened: the listing's own path when known. */
    public Path in(Path parent) {
      return fsPath != null ? fsPath : parent.resolve(name);
    }
  }

  /**
   * @param procsModifiedMillis mtime of {@code cgroup.procs}, which moves when a process is attached by writing
   *     it; {@code -1} when the directory has none
   */
  record Listing(List<Subdirectory> subdirectories, List<String> files, long procsModifiedMillis) {
    public static final Listing EMPTY = new Listing(List.of(), List.of(), -1);

    public Listing {
      subdirectories = List.copyOf(subdirectories);
      files = List.copyOf(files);
    }
  }
}
