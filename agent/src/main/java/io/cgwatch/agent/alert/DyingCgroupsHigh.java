package io.cgwatch.agent.alert;

import io.cgwatch.model.Analysis;
import io.cgwatch.model.HostInfo;
import io.cgwatch.model.HostOrphaned;
import java.time.Duration;
import java.util.List;

/** Dying memory cgroups above the count whose kernel memory reaches 2% of RAM (never above 20,000). */
final class DyingCgroupsHigh implements AlertRule {
  static final double MAX_THRESHOLD = 20_000;
  static final double RAM_SHARE = 0.02;

  @Override
  public String name() {
    return "DyingCgroupsHigh";
  }

  @Override
  public RuleSettings defaults(HostInfo host) {
    double threshold = MAX_THRESHOLD;
    if (host.cpus().isPresent() && host.memoryTotalBytes().isPresent()) {
      double each = HostOrphaned.perDyingMemcgBytes(host.cpus().getAsInt());
      threshold = Math.min(MAX_THRESHOLD, Math.floor(RAM_SHARE * host.memoryTotalBytes().getAsLong() / each));
    }
    return new RuleSettings(true, threshold, Math.floor(threshold * 0.8), Duration.ofMinutes(15), "warning");
  }

  @Override
  public List<Candidate> candidates(EvalInput in, AlertEngine.History history) {
    return in.analysis().filter(a -> a.snapshot().dyingMemoryCgroups().count().isPresent())
        .map(a -> List.of(new Candidate(memoryHierarchy(a), "/", a.snapshot().dyingMemoryCgroups().count().getAsLong())))
        .orElse(List.of());
  }

  /** The name of the hierarchy the snapshot chose for memory (its one rule), or "" when none holds it. */
  static String memoryHierarchy(Analysis a) {
    return a.snapshot().memoryHierarchy().map(h -> h.name()).orElse("");
  }

  @Override
  public String summary(Candidate c, RuleSettings s, EvalInput in) {
    return Remedies.count(c.value()) + " dying memory cgroups (threshold " + Remedies.count(s.threshold()) + ")";
  }

  @Override
  public String description(Candidate c, RuleSettings s, EvalInput in) {
    Analysis a = in.analysis().get();
    StringBuilder sb = new StringBuilder("The kernel keeps ").append(Remedies.count(c.value()))
        .append(" removed memory cgroups alive (counted by ")
        .append(a.snapshot().dyingMemoryCgroups().method().map(m -> m.label()).orElse("?")).append(")");
    a.hostOrphaned().dyingKernelMemoryBytes().ifPresent(b -> sb.append(", holding about ")
        .append(Remedies.bytes(b)).append(" of kernel memory themselves"));
    a.hostOrphaned().bytes().fileBytes().ifPresent(b -> sb.append("; ").append(Remedies.bytes(b))
        .append(" of page cache is left under their parents"));
    List<String> worst = a.snapshot().cgroups().stream().filter(x -> x.depth() > 0
        && x.nrDyingDescendants().orElse(0) > 0).sorted((x, y) -> Long.compare(y.nrDyingDescendants().getAsLong(),
        x.nrDyingDescendants().getAsLong())).limit(3).map(x -> x.path() + " (" + x.nrDyingDescendants().getAsLong()
        + ")").toList();
    if (!worst.isEmpty()) {
      sb.append(". Most below: ").append(String.join(", ", worst));
    }
    sb.append(". Many dying cgroups slow memory.stat reads and reclaim and cost per-CPU memory. ");
    sb.append(Remedies.forPageCacheAt(a, c.hierarchy(), worst.isEmpty() ? "/" : worst.get(0).split(" ")[0]));
    return sb.toString();
  }
}
