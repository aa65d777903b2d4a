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
    IO_ERROR("io_error");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
