package io.cgwatch.agent.alert;

import io.cgwatch.model.HostInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** No successful scan for N intervals (default 3): cgwatch is blind, and its series are already dropped. */
final class ScanFailing implements AlertRule {
  @Override
  public String name() {
    return "ScanFailing";
  }

  @Override
  public RuleSettings defaults(HostInfo host) {
    return new RuleSettings(true, 3, 1, Duration.ZERO, "critical");
  }

  @Override
  public List<Candidate> candidates(EvalInput in, AlertEngine.History history) {
    Instant since = in.lastSuccess().orElse(in.startedAt());
    double missed = Duration.between(since, history.now()).toMillis() / (double) in.interval().toMillis();
    return List.of(new Candidate("", "/", missed));
  }

  @Override
  public String summary(Candidate c, RuleSettings s, EvalInput in) {
    return String.format(Locale.ROOT, "no successful cgroup scan for %.1f intervals", c.value());
  }

  @Override
  public String description(Candidate c, RuleSettings s, EvalInput in) {
    return String.format(Locale.ROOT, "cgwatch has not completed a scan for %.1f intervals of %d s, so it reports "
        + "nothing about dying cgroups. Look at its log (JSON lines on stderr) for 'scan failed', and check that "
        + "--host-root points at the host's / with /proc and /sys/fs/cgroup readable.", c.value(),
        in.interval().toSeconds());
  }
}
