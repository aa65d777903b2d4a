package io.cgwatch.agent.alert;

import io.cgwatch.model.HostInfo;
import io.cgwatch.model.MemcgIds;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Memory cgroup IDs in use above a share of the limit, or forecast to run out within a day; past the limit,
 * mkdir of a cgroup fails (ENOSPC up to 6.8, EBUSY from 6.9) and containers may start without memory limits.
 * The forecast counts only when it is steady (MemcgIdForecast: at least 15 minutes and 6 samples of history,
 * both halves of the window rising), so a burst of mkdir neither fires it in diagnose nor makes it pending in serve.
 * Like the shipped Prometheus rules (deploy/prometheus/cgwatch-rules.yml), the share above the threshold is
 * critical and the forecast alone is a warning: a forecast is a reason to look, not to page.
 */
final class MemcgIdHeadroomLow implements AlertRule {
  static final Duration HORIZON = Duration.ofHours(24);

  @Override
  public String name() {
    return "MemcgIdHeadroomLow";
  }

  @Override
  public RuleSettings defaults(HostInfo host) {
    return new RuleSettings(true, 0.9, 0.85, Duration.ofMinutes(5), "critical");
  }

  @Override
  public List<Candidate> candidates(EvalInput in, AlertEngine.History history) {
    return in.analysis().flatMap(a -> a.memcgIds().map(ids -> new Candidate(
        DyingCgroupsHigh.memoryHierarchy(a), "/", (double) ids.inUse() / ids.limit()))).stream().toList();
  }

  @Override
  public boolean above(Candidate c, RuleSettings s, EvalInput in) {
    return c.value() > s.threshold() || soon(in);
  }

  @Override
  public boolean belowClear(Candidate c, RuleSettings s, EvalInput in) {
    return c.value() < s.clear() && !soon(in);
  }

  private static boolean soon(EvalInput in) {
    return in.analysis().flatMap(a -> a.memcgIds()).map(MemcgIds::exhaustionEtaSeconds)
        .filter(eta -> eta.isPresent() && eta.getAsDouble() <= HORIZON.toSeconds()).isPresent();
  }

  /** The configured severity for the share; the forecast alone is a warning (never above what is configured). */
  @Override
  public String severity(Candidate c, RuleSettings s, EvalInput in) {
    if (c.value() > s.threshold()) {
      return s.severity();
    }
    return "critical".equals(s.severity()) ? "warning" : s.severity();
  }

  @Override
  public String summary(Candidate c, RuleSettings s, EvalInput in) {
    String share = String.format(Locale.ROOT, "%.0f%% of memory cgroup IDs in use", c.value() * 100);
    return c.value() > s.threshold() ? share : share + ", forecast to run out within 24 hours";
  }

  @Override
  public String description(Candidate c, RuleSettings s, EvalInput in) {
    MemcgIds ids = in.analysis().get().memcgIds().get();
    String eta = ids.exhaustionEtaSeconds().isPresent() ? String.format(Locale.ROOT,
        "; at the growth of the last hour (%+.0f per hour, steady) they run out in about %.1f hours",
        ids.growthPerHour().orElse(0), ids.exhaustionEtaSeconds().getAsDouble() / 3600)
        : "";
    return ids.inUse() + " of " + ids.limit() + " memory cgroup IDs are in use (" + ids.rule() + ", from "
        + ids.source() + ")" + eta + ". When none is left, mkdir of a cgroup fails and containers can start without "
        + "a memory limit. Remove unused cgroups and find what creates them; on kernels before 4.8 dying cgroups "
        + "hold IDs too, so reclaiming their page cache frees IDs.";
  }
}
