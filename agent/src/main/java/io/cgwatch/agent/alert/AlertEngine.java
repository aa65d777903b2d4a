package io.cgwatch.agent.alert;

import io.cgwatch.agent.lifecycle.GrowthTrend;
import io.cgwatch.model.AlertStatus;
import io.cgwatch.model.HostInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The built-in alerts, evaluated after each scan: inactive → pending → firing → resolved, per rule and place
 * (hierarchy, cgroup), with a {@code for} duration and hysteresis, like Prometheus' own rules. Pure: no I/O, time
 * from the injected clock. Not thread-safe: the poller calls it.
 */
public final class AlertEngine {
  /** Names are part of the contract: the shipped Prometheus rules use the same ones. */
  static final List<AlertRule> RULES = List.of(new DyingCgroupsHigh(), new DyingCgroupsGrowing(),
      new OrphanedPageCacheHigh(), new MemcgIdHeadroomLow(), new VisibleCgroupLeak(), new KernelStatReadSlow(),
      new ScanFailing());

  /** Window of the DyingCgroupsGrowing slope. */
  public static final Duration GROWTH_WINDOW = Duration.ofHours(1);

  /** Derived history the rules may use; {@code dyingPerHour} is the steady rise (see GrowthTrend#steadyPerHour). */
  public record History(Instant now, OptionalDouble dyingPerHour) {}

  /**
   * @param active pending and firing alerts after this evaluation
   * @param changes every state change of this evaluation (to pending, firing, resolved or inactive), for sinks
   */
  public record Result(List<AlertStatus> active, List<AlertStatus> changes) {}

  private final Clock clock;
  private final Map<String, RuleOverride> overrides;
  private final GrowthTrend dying = new GrowthTrend(GROWTH_WINDOW);
  private final Map<Place, Episode> episodes = new TreeMap<>();

  /** Where one alert lives: a rule at one cgroup of one hierarchy; ordered so that alerts list stably. */
  private record Place(String rule, String hierarchy, String cgroup) implements Comparable<Place> {
    private static final java.util.Comparator<Place> ORDER = java.util.Comparator.comparing(Place::rule)
        .thenComparing(Place::hierarchy).thenComparing(Place::cgroup);

    @Override
    public int compareTo(Place o) {
      return ORDER.compare(this, o);
    }
  }

  public AlertEngine(Clock clock, Map<String, RuleOverride> overrides) {
    this.clock = clock;
    this.overrides = Map.copyOf(overrides);
    for (String name : overrides.keySet()) {
      if (RULES.stream().noneMatch(r -> r.name().equals(name))) {
        throw new IllegalArgumentException("alerts.rules." + name + ": no such rule (rules: " + ruleNames() + ")");
      }
    }
  }

  public static List<String> ruleNames() {
    return RULES.stream().map(AlertRule::name).toList();
  }

  /** The settings each rule runs with on this host: its defaults, then the config file's overrides. */
  public Map<String, RuleSettings> settings(HostInfo host) {
    Map<String, RuleSettings> out = new LinkedHashMap<>();
    for (AlertRule r : RULES) {
      RuleSettings s = r.defaults(host);
      RuleOverride o = overrides.get(r.name());
      out.put(r.name(), o == null ? s : s.with(o.enabled(), o.threshold(), o.clear(), o.forDuration(), o.severity()));
    }
    return out;
  }

  /**
   * @param oneShot treat {@code for} as satisfied (diagnose: there is no time to wait)
   */
  public Result evaluate(EvalInput in, boolean oneShot) {
    Instant now = clock.instant();
    in.analysis().ifPresent(a -> a.snapshot().dyingMemoryCgroups().count().ifPresent(n -> dying.add(now, n)));
    History history = new History(now, dying.steadyPerHour());
    Map<String, RuleSettings> settings = settings(in.analysis().map(a -> a.snapshot().host()).orElse(HostInfo.UNKNOWN));
    List<AlertStatus> changes = new ArrayList<>();
    for (AlertRule rule : RULES) {
      RuleSettings s = settings.get(rule.name());
      List<AlertRule.Candidate> candidates = s.enabled() ? rule.candidates(in, history) : List.of();
      java.util.Set<Place> seen = new java.util.HashSet<>();
      for (AlertRule.Candidate c : candidates) {
        Place key = new Place(rule.name(), c.hierarchy(), c.cgroup());
        seen.add(key);
        step(rule, s, c, key, in, now, oneShot, changes);
      }
      // Places the rule no longer reports (a parent removed, a rule disabled): their alerts end.
      Iterator<Map.Entry<Place, Episode>> it = episodes.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<Place, Episode> e = it.next();
        if (e.getValue().rule.equals(rule.name()) && !seen.contains(e.getKey())) {
          changes.add(e.getValue().status(e.getValue().firing ? "resolved" : "inactive"));
          it.remove();
        }
      }
    }
    List<AlertStatus> active = new ArrayList<>();
    episodes.values().forEach(e -> active.add(e.status(e.firing ? "firing" : "pending")));
    return new Result(active, changes);
  }

  private void step(AlertRule rule, RuleSettings s, AlertRule.Candidate c, Place key, EvalInput in, Instant now,
      boolean oneShot, List<AlertStatus> changes) {
    Episode e = episodes.get(key);
    if (e == null) {
      if (!rule.above(c, s, in)) {
        return;
      }
      e = new Episode(rule.name(), s.severity(), c, now);
      episodes.put(key, e);
      e.update(rule, s, c, in);
      if (oneShot || s.forDuration().isZero()) {
        e.firing = true;
        changes.add(e.status("firing"));
      } else {
        changes.add(e.status("pending"));
      }
      return;
    }
    e.update(rule, s, c, in);
    if (!e.firing) {
      if (!rule.above(c, s, in)) {
        episodes.remove(key);
        changes.add(e.status("inactive"));
      } else if (oneShot || !Duration.between(e.since, now).minus(s.forDuration()).isNegative()) {
        e.firing = true;
        changes.add(e.status("firing"));
      }
    } else if (rule.belowClear(c, s, in)) {
      episodes.remove(key);
      changes.add(e.status("resolved"));
    }
  }

  /** One alert's life at one place, from the first evaluation above the threshold. */
  private static final class Episode {
    final String rule;
    final Instant since;
    String severity;
    AlertRule.Candidate candidate;
    double threshold;
    String summary;
    String description;
    boolean firing;

    Episode(String rule, String severity, AlertRule.Candidate candidate, Instant since) {
      this.rule = rule;
      this.severity = severity;
      this.candidate = candidate;
      this.since = since;
    }

    void update(AlertRule r, RuleSettings s, AlertRule.Candidate c, EvalInput in) {
      candidate = c;
      severity = r.severity(c, s, in);
      threshold = s.threshold();
      summary = r.summary(c, s, in);
      description = r.description(c, s, in);
    }

    AlertStatus status(String state) {
      return new AlertStatus(rule, severity, state, candidate.hierarchy(), candidate.cgroup(), candidate.value(),
          threshold, since, summary, description);
    }
  }
}
