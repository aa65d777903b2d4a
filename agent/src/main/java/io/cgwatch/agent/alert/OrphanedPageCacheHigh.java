package io.cgwatch.agent.alert;

import io.cgwatch.model.HostInfo;
import io.cgwatch.model.OrphanedMemory;
import java.time.Duration;
import java.util.List;

/** Page cache left behind under one parent, above a byte threshold (default 1 GiB). */
final class OrphanedPageCacheHigh implements AlertRule {
  static final double GIB = 1024.0 * 1024 * 1024;

  @Override
  public String name() {
    return "OrphanedPageCacheHigh";
  }

  @Override
  public RuleSettings defaults(HostInfo host) {
    return new RuleSettings(true, GIB, 0.8 * GIB, Duration.ofMinutes(30), "warning");
  }

  @Override
  public List<Candidate> candidates(EvalInput in, AlertEngine.History history) {
    return in.analysis().map(a -> a.orphaned().stream().filter(o -> o.bytes().fileBytes().isPresent())
        .map(o -> new Candidate(o.hierarchy(), o.path(), o.bytes().fileBytes().getAsLong())).toList())
        .orElse(List.of());
  }

  @Override
  public String summary(Candidate c, RuleSettings s, EvalInput in) {
    return Remedies.bytes(c.value()) + " of page cache left behind under " + c.cgroup();
  }

  @Override
  public String description(Candidate c, RuleSettings s, EvalInput in) {
    String method = in.analysis().get().orphaned().stream().filter(o -> o.path().equals(c.cgroup())
        && o.hierarchy().equals(c.hierarchy())).map(OrphanedMemory::method).map(m -> m.label()).findFirst().orElse("");
    return Remedies.bytes(c.value()) + " of page cache is charged to " + c.cgroup() + " (" + c.hierarchy()
        + ") that none of its live children accounts for (" + method + ", an upper bound): removed children left "
        + "it, and it keeps them dying. " + Remedies.forPageCacheAt(in.analysis().get(), c.hierarchy(), c.cgroup());
  }
}
