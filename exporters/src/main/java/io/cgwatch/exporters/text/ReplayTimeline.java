package io.cgwatch.exporters.text;

import io.cgwatch.model.Analysis;
import io.cgwatch.model.LifecycleView;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** {@code cgwatch replay}'s table: one line per capture, what the kernel counted and what cgwatch learned by then. */
public final class ReplayTimeline {
  private ReplayTimeline() {}

  /**
   * One replayed capture.
   *
   * @param source the capture as given on the command line (a directory or an archive); untrusted, escaped
   * @param capturedInodes whether the capture had INODES (else a cgroup's identity is its path)
   */
  public record Capture(Instant capturedAt, String source, boolean capturedInodes, Analysis analysis) {}

  public static String render(List<Capture> captures) {
    StringBuilder sb = new StringBuilder("replay of ").append(captures.size()).append(" captures, ")
        .append(captures.get(0).capturedAt()).append(" to ").append(captures.get(captures.size() - 1).capturedAt())
        .append('\n');
    sb.append(String.format(Locale.ROOT, "  %-24s  %6s  %7s  %7s  %9s  %7s  %13s  %s%n", "TIME", "DYING", "CREATED",
        "REMOVED", "RECREATED", "ZOMBIES", "ORPHANED FILE", "CAPTURE"));
    for (Capture c : captures) {
      Analysis a = c.analysis();
      LifecycleView l = a.lifecycle().orElse(null);
      sb.append(String.format(Locale.ROOT, "  %-24s  %6s  %7s  %7s  %9s  %7s  %13s  %s%n", c.capturedAt(),
          a.snapshot().dyingMemoryCgroups().count().stream().mapToObj(Long::toString).findFirst().orElse("-"),
          l == null ? "-" : l.created(), l == null ? "-" : l.removed(), l == null ? "-" : l.recreated(),
          l == null ? "-" : l.zombies().size(),
          a.hostOrphaned().bytes().fileBytes().stream().mapToObj(HumanUnits::bytes).findFirst().orElse("-"),
          TerminalSafe.escape(c.source()) + (c.capturedInodes() ? "" : " (no INODES: identity by path)")));
    }
    return sb.toString();
  }
}
