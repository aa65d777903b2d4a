package io.cgwatch.cgroupfs;

import io.cgwatch.cgroupfs.parse.MalformedFileException;
import io.cgwatch.model.ScanError;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one place that decides what trouble means, for one scan:
 * <ul>
 *   <li>a file that does not exist → absent (controller off, root cgroup, older kernel): not an error;
 *   <li>the cgroup's directory is gone → {@link CgroupVanishedException}: the caller skips the cgroup and it is
 *       counted as vanished, not as an error;
 *   <li>a malformed file → that value absent, error recorded with path, file and reason;
 *   <li>permission denied, or any other read error → value absent, error recorded.
 * </ul>
 * One bad file never fails a scan. Not thread-safe: one context per scan.
 */
final class ScanContext {
  static final String ROOT_MEMORY_STAT = "memory.stat";

  /** Parses a file's content; pure. */
  interface Parser<T> {
    T parse(String content) throws MalformedFileException;
  }

  /**
   * Parses a file's bytes, {@code content[0, length)}, without keeping them (the array is reused for the next
   * file); pure. Each must give what its String twin gives for the UTF-8 decoding of the same bytes.
   */
  interface BytesParser<T> {
    T parse(byte[] content, int length) throws MalformedFileException;
  }

  /** A file of one integer parsed from its bytes, {@code content[0, length)}; pure, like {@link BytesParser}. */
  interface LongBytesParser {
    long parse(byte[] content, int length) throws MalformedFileException;
  }

  private final ControlFiles files;
  private final ScanOptions options;
  private final List<ScanError> errors = new ArrayList<>();
  /** Every control file of this scan is read into this one buffer. */
  private final ReadBuffer buffer = new ReadBuffer();
  private long vanished;
  /** Directories walked so far in this scan, over all hierarchies (bounded by ScanOptions.maxDirectories). */
  private long walked;
  private boolean outOfTime;

  ScanContext(ControlFiles files, ScanOptions options) {
    this.files = files;
    this.options = options;
  }

  ScanOptions options() {
    return options;
  }

  ControlFiles files() {
    return files;
  }

  /** Reads a control file of a cgroup directory; absent when the directory listing did not have it. */
  <T> Optional<T> read(CgroupDir dir, String file, Parser<T> parser) throws CgroupVanishedException {
    if (!fetch(dir, file)) {
      return Optional.empty();
    }
    return parse(dir.hostPath(), file, buffer.string(), parser);
  }

  /** The same, parsed from the bytes: no String of the content (the scan's hot path). */
  <T> Optional<T> read(CgroupDir dir, String file, BytesParser<T> parser) throws CgroupVanishedException {
    if (!fetch(dir, file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.parse(buffer.bytes(), buffer.length()));
    } catch (MalformedFileException e) {
      error(dir.hostPath(), file, ScanError.Kind.MALFORMED, e.getMessage());
      return Optional.empty();
    }
  }

  /** The same for a one-integer file: no boxed {@code Long} or {@code Optional} per read (issue 16). */
  OptionalLong readLong(CgroupDir dir, String file, LongBytesParser parser) throws CgroupVanishedException {
    if (!fetch(dir, file)) {
      return OptionalLong.empty();
    }
    try {
      return SharedValues.optionalLong(parser.parse(buffer.bytes(), buffer.length()));
    } catch (MalformedFileException e) {
      error(dir.hostPath(), file, ScanError.Kind.MALFORMED, e.getMessage());
      return OptionalLong.empty();
    }
  }

  /** Reads {@code file} of {@code dir} into {@link #buffer}; false when it is absent or could not be read. */
  private boolean fetch(CgroupDir dir, String file) throws CgroupVanishedException {
    if (!dir.files().contains(file)) {
      return false;
    }
    if (dir.depth() == 0 && ROOT_MEMORY_STAT.equals(file) && !options.readRootMemoryStat()) {
      return false; // throttled: see ScanOptions#readRootMemoryStat
    }
    try {
      files.readInto(dir.fsPath(), file, buffer);
      return true;
    } catch (NoSuchFileException e) {
      if (!files.isDirectory(dir.fsPath())) {
        throw new CgroupVanishedException();
      }
      return false; // e.g. the controller was disabled between listing and reading
    } catch (AccessDeniedException e) {
      error(dir.hostPath(), file, ScanError.Kind.PERMISSION_DENIED, "permission denied");
    } catch (NioControlFiles.FileTooLargeException e) {
      error(dir.hostPath(), file, ScanError.Kind.LIMIT_FILE_BYTES, reason(e));
    } catch (NioControlFiles.NotRegularFileException e) {
      error(dir.hostPath(), file, ScanError.Kind.NOT_REGULAR_FILE, reason(e));
    } catch (ReadTimeoutException e) {
      error(dir.hostPath(), file, ScanError.Kind.TIMEOUT, reason(e));
    } catch (IOException e) {
      if (!files.isDirectory(dir.fsPath())) {
        throw new CgroupVanishedException(); // ENODEV and friends after rmdir
      }
      error(dir.hostPath(), file, ScanError.Kind.IO_ERROR, reason(e));
    }
    return false;
  }

  /** Reads a host file ({@code /proc/cgroups}, ...): absent when missing, errors recorded. */
  <T> Optional<T> readHostFile(Path fsPath, String hostDir, String file, Parser<T> parser) {
    String content;
    try {
      content = files.readHostFile(fsPath);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (AccessDeniedException e) {
      error(hostDir, file, ScanError.Kind.PERMISSION_DENIED, "permission denied");
      return Optional.empty();
    } catch (NioControlFiles.FileTooLargeException e) {
      error(hostDir, file, ScanError.Kind.LIMIT_FILE_BYTES, reason(e));
      return Optional.empty();
    } catch (NioControlFiles.NotRegularFileException e) {
      error(hostDir, file, ScanError.Kind.NOT_REGULAR_FILE, reason(e));
      return Optional.empty();
    } catch (ReadTimeoutException e) {
      error(hostDir, file, ScanError.Kind.TIMEOUT, reason(e));
      return Optional.empty();
    } catch (IOException e) {
      error(hostDir, file, ScanError.Kind.IO_ERROR, reason(e));
      return Optional.empty();
    }
    return parse(hostDir, file, content, parser);
  }

  private <T> Optional<T> parse(String hostDir, String file, String content, Parser<T> parser) {
    try {
      return Optional.of(parser.parse(content));
    } catch (MalformedFileException e) {
      error(hostDir, file, ScanError.Kind.MALFORMED, e.getMessage());
      return Optional.empty();
    }
  }

  void error(String hostDir, String file, ScanError.Kind kind, String message) {
    errors.add(new ScanError(hostDir, file, kind, message));
  }

  /** Counts one walked directory; false when the scan's bound on cgroups is already reached. */
  boolean walkOne() {
    if (walked >= options.maxDirectories()) {
      return false;
    }
    walked++;
    return true;
  }

  /** The walk was stopped by its caller's deadline (capture's {@code --timeout}), not by a bound. */
  void stopOutOfTime() {
    outOfTime = true;
  }

  boolean outOfTime() {
    return outOfTime;
  }

  void vanished() {
    vanished++;
  }

  long vanishedCount() {
    return vanished;
  }

  List<ScanError> errors() {
    return errors;
  }

  /** The OS's reason without the path (the error already names the path and file). */
  static String reason(IOException e) {
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
