package io.cgwatch.model;

/**
 * A file that could not be used. The scan goes on without it.
 *
 * @param path the directory, as the host sees it (e.g. {@code /sys/fs/cgroup/system.slice})
 * @param file the file name in that directory (e.g. {@code memory.stat})
 */
public record ScanError(String path, String file, Kind kind, String message) {
  public enum Kind {
    /** The content does not have the kernel's format. */
    MALFORMED("malformed"),
    /** EACCES/EPERM: a delegated subtree or a reader without privileges. */
    PERMISSION_DENIED("permission_denied"),
    /** Any other read failure. */
    IO_ERROR("io_error"),
    /** A file larger than any control file ({@code NioControlFiles.MAX_FILE_BYTES}): not read. */
    LIMIT_FILE_BYTES("limit_file_bytes"),
    /** The scan met more cgroups than {@code ScanOptions.maxDirectories}: the rest were not walked. */
    LIMIT_CGROUPS("limit_cgroups"),
    /** Directories deeper than {@code ScanOptions.maxWalkDepth} were not walked. */
    LIMIT_DEPTH("limit_depth"),
    /** A FIFO, device, socket, directory or symlink named like a control file: not opened (it could block forever
     *  or lead outside the tree). */
    NOT_REGULAR_FILE("not_regular_file"),
    /** A path from mountinfo or a capture that leads outside its root after normalisation: refused. */
    OUTSIDE_ROOT("outside_root"),
    /** A read that did not return within the scan's deadline: abandoned. */
    TIMEOUT("timeout");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
