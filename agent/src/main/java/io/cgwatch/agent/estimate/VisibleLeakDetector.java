package io.cgwatch.agent.estimate;

import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.VisibleLeak;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Abandoned cgroups that are still visible (not dying): no processes, no children, and no creation or process
 * attach for at least the threshold. One scan can judge idleness from kernfs times: {@code cgroup.procs}'s mtime
 * moves on each attach by writing it, and kernfs stamps a directory and each of its files when their inodes are
 * first made, which is the first lookup after mkdir (usually the creator's), not the mkdir itself. So a cgroup
 * nobody looked at counts as active at cgwatch's first scan: leaks are reported late, never early. Pure.
 */
public final class VisibleLeakDetector {
  public static final Duration DEFAULT_THRESHOLD = Duration.ofHours(1);

  private VisibleLeakDetector() {}

  public static List<VisibleLeak> detect(HostSnapshot s, Duration threshold) {
    Instant now = s.takenAt();
    return s.cgroups().stream()
        .filter(c -> c.depth() > 0 && c.children() == 0 && c.populated().equals(java.util.Optional.of(false)))
        .filter(c -> c.nrDescendants().orElse(0) == 0)
        .filter(c -> !Duration.between(c.lastActivity(), now).minus(threshold).isNegative())
        .map(c -> new VisibleLeak(c.hierarchy(), c.path(), c.lastActivity(), Duration.between(c.lastActivity(), now)))
        .toList();
  }

}
