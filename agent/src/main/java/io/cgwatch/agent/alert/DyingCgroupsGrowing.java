package io.cgwatch.agent.alert;

import io.cgwatch.model.HostInfo;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The dying count rises steadily: the smaller of the Theil-Sen slopes of the two halves of the last hour, so a
 * single jump (one half only) does not fire it.
 */
final class DyingCgroupsGrowing implements AlertRule {
  @Override
  public String name() {
    return "DyingCgroupsGrowing";
  }

  @Override
  public RuleSettings defaults(HostInfo host) {
    return new RuleSettings(true, 100, 25, Duration.ofMinutes(30), "warning");
  }

  @Override
  public List<Candidate> candidates(EvalInput in, AlertEngine.History history) {
    if (in.analysis().isEmpty() || history.dyingPerHour().isEmpty()) {
      return List.of();
    }
    return List.of(new Candidate(DyingCgroupsHigh.memoryHierarchy(in.analysis().get()), "/",
        history.dyingPerHour().getAsDouble()));
  }

  @Override
  public String summary(Candidate c, RuleSettings s, EvalInput in) {
    return String.format(Locale.ROOT, "dying memory cgroups grow by %.0f per hour", c.value());
  }

  @Override
  public String description(Candidate c, RuleSettings s, EvalInput in) {
    long now = in.analysis().get().snapshot().dyingMemoryCgroups().count().orElse(0);
    return String.format(Locale.ROOT, "Over the last hour the count of dying memory cgroups rose steadily, by about "
        + "%.0f per hour, to %d: something removes cgroups whose page cache stays in memory (short jobs, timers, "
        + "CI sandboxes). ", c.value(), now) + Remedies.forPageCacheAt(in.analysis().get(), c.hierarchy(), "/");
  }
}
