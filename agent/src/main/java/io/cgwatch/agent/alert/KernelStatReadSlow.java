package io.cgwatch.agent.alert;

import io.cgwatch.model.HostInfo;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Reading the root memory.stat is slow: the earliest symptom of a dying-cgroup pile-up (cadvisor#1774). */
final class KernelStatReadSlow implements AlertRule {
  @Override
  public String name() {
    return "KernelStatReadSlow";
  }

  @Override
  public RuleSettings defaults(HostInfo host) {
    return new RuleSettings(true, 0.1, 0.05, Duration.ofMinutes(15), "warning");
  }

  @Override
  public List<Candidate> candidates(EvalInput in, AlertEngine.History history) {
    if (in.rootMemoryStatSeconds().isEmpty() || in.analysis().isEmpty()) {
      return List.of();
    }
    return List.of(new Candidate(DyingCgroupsHigh.memoryHierarchy(in.analysis().get()), "/",
        in.rootMemoryStatSeconds().getAsDouble()));
  }

  @Override
  public String summary(Candidate c, RuleSettings s, EvalInput in) {
    return String.format(Locale.ROOT, "reading the root memory.stat takes %.0f ms", c.value() * 1000);
  }

  @Override
  public String description(Candidate c, RuleSettings s, EvalInput in) {
    return String.format(Locale.ROOT, "One read of the root memory.stat took %.0f ms (budget %.0f ms). The kernel "
        + "walks every memory cgroup, dying ones included, so this slows down as they pile up, and so do "
        + "monitoring agents and reclaim. cgwatch now reads it only every 10th scan. ", c.value() * 1000,
        s.threshold() * 1000) + Remedies.forPageCacheAt(in.analysis().get(), c.hierarchy(), "/");
  }
}
