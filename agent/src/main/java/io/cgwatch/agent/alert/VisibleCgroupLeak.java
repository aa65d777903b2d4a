package io.cgwatch.agent.alert;

import io.cgwatch.model.CgroupPaths;
import io.cgwatch.model.CgroupRef;
import io.cgwatch.model.HostInfo;
import io.cgwatch.model.VisibleLeak;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Empty, childless, idle cgroups piling up under one parent: a visible leak, cleaned with rmdir. */
final class VisibleCgroupLeak implements AlertRule {
  @Override
  public String name() {
    return "VisibleCgroupLeak";
  }

  @Override
  public RuleSettings defaults(HostInfo host) {
    return new RuleSettings(true, 100, 80, Duration.ofHours(1), "warning");
  }

  @Override
  public List<Candidate> candidates(EvalInput in, AlertEngine.History history) {
    if (in.analysis().isEmpty()) {
      return List.of();
    }
    Map<CgroupRef, Integer> perParent = new TreeMap<>();
    for (VisibleLeak l : in.analysis().get().visibleLeaks()) {
      String parent = CgroupPaths.parent(l.path());
      perParent.merge(new CgroupRef(l.hierarchy(), parent == null ? "/" : parent), 1, Integer::sum);
    }
    List<Candidate> out = new ArrayList<>();
    perParent.forEach((k, n) -> out.add(new Candidate(k.hierarchy(), k.path(), n)));
    return out;
  }

  @Override
  public String summary(Candidate c, RuleSettings s, EvalInput in) {
    return Remedies.count(c.value()) + " abandoned empty cgroups under " + c.cgroup();
  }

  @Override
  public String description(Candidate c, RuleSettings s, EvalInput in) {
    return Remedies.count(c.value()) + " cgroups under " + c.cgroup() + " (" + c.hierarchy() + ") have no processes "
        + "and no children and have been idle for " + in.analysis().get().visibleLeakThreshold().toMinutes()
        + " minutes or more. They are not dying (they are still visible): whatever created them did not remove "
        + "them. Remove them with rmdir, and fix the owner (e.g. leaked *.scope units).";
  }
}
