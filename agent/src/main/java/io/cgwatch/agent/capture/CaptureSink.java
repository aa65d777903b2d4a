package io.cgwatch.agent.capture;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where a capture is written: a directory tree or a gzip'd tar. Paths are relative, '/'-separated, without a
 * leading '/'; a directory is always added before anything inside it.
 */
interface CaptureSink extends Closeable {
  /** A directory whose mtime must end up as {@code mtimeMillis}. */
  void directory(String path, long mtimeMillis) throws IOException;

  /** A regular file; {@code mtimeMillis < 0} means "now". */
  void file(String path, byte[] content, long mtimeMillis) throws IOException;

  /** Puts the directory mtimes in place (writing inside a directory moves its mtime) and flushes. */
  void finish() throws IOException;

  /**
   * Writes the completion record at {@code path}, replacing an earlier one. An archive appends it again (the later
   * entry wins when unpacked); a directory replaces it atomically, so a failed write leaves the earlier record.
   */
  default void record(String path, byte[] content) throws IOException {
    file(path, content, -1);
  }
}
