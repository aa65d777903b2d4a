package io.cgwatch.agent.capture;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The {@code CAPTURED} file of a capture: when, from what, complete or not, what was copied and skipped. */
final class CapturedManifest {
  private CapturedManifest() {}

  /**
   * @param command the command line as shown (already "(anonymized)" when anonymizing)
   * @param skippedFiles the first skipped files with their reasons; empty when anonymizing (they name cgroups)
   */
  static String render(Capturer.Result r, Instant started, Instant ended, String command, boolean anonymize,
      List<String> skippedFiles) {
    StringBuilder sb = new StringBuilder();
    sb.append("captured_at_utc: ").append(started.truncatedTo(ChronoUnit.MILLIS)).append('\n');
    sb.append("capture_ended_utc: ").append(ended.truncatedTo(ChronoUnit.MILLIS)).append('\n');
    sb.append("uname_r: ").append(r.kernelRelease()).append('\n');
    sb.append("source: cgwatch capture\n");
    sb.append("command: ").append(command).append('\n');
    sb.append("anonymized: ").append(anonymize
        ? "yes: every cgroup directory name is cg- + the first 12 hex digits of SHA-256 of the name (no salt, "
            + "the same in every capture); mount points and control file names are kept"
        : "no").append('\n');
    sb.append("copied: ").append(r.cgroups()).append(" cgroups, ").append(r.files())
        .append(" files and directories, ").append(r.bytes()).append(" bytes\n");
    sb.append("vanished: ").append(r.vanished()).append(" cgroups removed while being copied (skipped)\n");
    sb.append("skipped: ").append(r.skipped()).append(" files unreadable or larger than ")
        .append(Capturer.MAX_FILE_BYTES).append(" bytes\n");
    for (String s : skippedFiles) {
      sb.append("  ").append(s).append('\n');
    }
    sb.append("cgroup.procs: never the PIDs; empty when the cgroup had no process, the single line 1 when it had "
        + "any; its mtime is kept\n");
    sb.append("placeholders: ").append(r.placeholders())
        .append(" empty write-only files at hierarchy roots (memory.reclaim), never opened, kept for presence\n");
    sb.append("mtimes: cgroup directories and cgroup.procs keep theirs (visible-leak idleness)\n");
    sb.append("INODES: inode numbers of the cgroup directories on the source, \"<inode> <path relative to "
        + "/sys/fs/cgroup>\", \".\" = root\n");
    // Last, so that a record cut short (disk full) has no complete: line and reads as incomplete.
    sb.append("complete: ").append(r.complete() ? "yes" : "NO, incomplete: " + r.incompleteReason()
        + " (what was written is kept; cgwatch reading it sees a partial host)").append('\n');
    return sb.toString();
  }
}
