package io.cgwatch.agent.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The completion record of a capture: its {@code CAPTURED} file. {@code cgwatch capture} writes it first as
 * {@code complete: NO, in progress} and rewrites it last with {@code complete: yes} (or the limit that stopped it) as
 * its final line, so a capture that was killed, ran out of disk or had its record cut short never reads as complete.
 * A tree with neither {@code CAPTURED} nor {@code INODES} is not a capture (a fake tree, a host mounted at
 * {@code /host}) and is read as is; a {@code CAPTURED} without a {@code complete:} line and not written by
 * {@code cgwatch capture} is a fixture tool's record and counts as complete.
 */
public final class CaptureRecord {
  static final String FILE = "CAPTURED";
  static final String IN_PROGRESS = "complete: NO, in progress (a capture that stops here was killed, ran out of "
      + "disk or got stuck)";

  private CaptureRecord() {}

  /** Why {@code root} is an incomplete capture; empty when it is complete or not a capture at all. */
  public static Optional<String> incomplete(Path root) {
    Path record = root.resolve(FILE);
    if (!Files.exists(record, LinkOption.NOFOLLOW_LINKS)) {
      return Files.exists(root.resolve("INODES"), LinkOption.NOFOLLOW_LINKS)
          ? Optional.of("it has INODES but no CAPTURED record (the capture was killed or ran out of disk)")
          : Optional.empty();
    }
    List<String> lines;
    try {
      if (!Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS) || Files.size(record) > 1 << 20) {
        return Optional.of("its CAPTURED record is not a regular file of at most 1 MiB");
      }
      lines = new String(Files.readAllBytes(record), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      return Optional.of("its CAPTURED record cannot be read: " + e.getMessage());
    }
    Optional<String> complete = lines.stream().filter(l -> l.startsWith("complete:")).reduce((a, b) -> b);
    if (complete.isPresent()) {
      String value = complete.get().substring("complete:".length()).strip();
      return value.equals("yes") ? Optional.empty() : Optional.of("CAPTURED says: " + value);
    }
    if (lines.contains("source: cgwatch capture")) {
      return Optional.of("its CAPTURED record has no complete: line (cut short: disk full?)");
    }
    return Optional.empty();
  }

  /** An incomplete capture given without {@code --allow-incomplete}. */
  public static final class IncompleteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IncompleteException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Refuses an incomplete capture, or with {@code allow} warns about it through {@code warn}: its numbers describe
   * only the part of the host that was copied, which would pass for the whole host.
   */
  public static void require(Path root, String shownAs, boolean allow, Consumer<String> warn) {
    Optional<String> why = incomplete(root);
    if (why.isEmpty()) {
      return;
    }
    if (!allow) {
      throw new IncompleteException("INCOMPLETE CAPTURE " + shownAs + ": " + why.get() + ". Its numbers would "
          + "describe only part of the host. Capture again, or pass --allow-incomplete to read it anyway.");
    }
    warn.accept("WARNING: INCOMPLETE CAPTURE " + shownAs + ": " + why.get() + "; read anyway (--allow-incomplete): "
        + "the numbers describe only what was copied");
  }
}
