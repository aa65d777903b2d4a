package io.cgwatch.agent;

import io.cgwatch.agent.estimate.MemcgIdEstimator;
import io.cgwatch.agent.estimate.MemcgIdForecast;
import io.cgwatch.agent.estimate.OrphanedMemoryEstimator;
import io.cgwatch.agent.estimate.StillDyingEstimator;
import io.cgwatch.agent.estimate.VisibleLeakDetector;
import io.cgwatch.agent.lifecycle.LifecycleTracker;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.agent.owner.OwnerRollups;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.CgroupEvent;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.LifecycleView;
import io.cgwatch.model.MemcgIds;
import io.cgwatch.model.OrphanedMemory;
import io.cgwatch.model.StillDying;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Turns each snapshot into an {@link Analysis}: the one-snapshot estimators (orphaned memory, memcg IDs, visible
 * leaks) and the history-keeping ones (lifecycle, ID growth), then the roll-up per owner. Feed it snapshots in
 * order.
 */
public final class Analyzer {
  /** Only to make a history-free twin for {@link #analyzeAlone}; the trackers read the time themselves. */
  private final Clock clock;
  private final Duration leakThreshold;
  private final TrackerSettings trackerSettings;
  private final LifecycleTracker tracker;
  private final MemcgIdForecast idForecast;

  public Analyzer(Clock clock, TrackerSettings trackerSettings, Duration leakThreshold) {
    this.clock = clock;
    this.leakThreshold = leakThreshold;
    this.trackerSettings = trackerSettings;
    this.tracker = new LifecycleTracker(clock, trackerSettings);
    this.idForecast = new MemcgIdForecast(clock);
  }

  public Analysis analyze(HostSnapshot s) {
    return analyze(s, List.of());
  }

  /** With the watcher's events since the last analysis, all older than {@code s} (see LifecycleTracker). */
  public Analysis analyze(HostSnapshot s, List<CgroupEvent> events) {
    List<OrphanedMemory> orphaned = OrphanedMemoryEstimator.estimate(s);
    LifecycleView lifecycle = tracker.observe(s, events);
    Optional<MemcgIds> ids = MemcgIdEstimator.estimate(s).map(idForecast::apply);
    StillDying why = StillDyingEstimator.estimate(s, ids);
    Optional<LifecycleView> tracked = lifecycle.observations() > 1 ? Optional.of(lifecycle) : Optional.empty();
    return new Analysis(s, orphaned, OrphanedMemoryEstimator.host(orphaned, why.cost().dyingBytes()), why, ids,
        VisibleLeakDetector.detect(s, leakThreshold), leakThreshold, tracked, List.of(),
        OwnerRollups.rollUp(s, orphaned, tracked));
  }

  /**
   * The analysis of one snapshot on its own, leaving the history untouched: a scan that read no hierarchy is
   * reported, but must not look to the lifecycle tracker as if every cgroup had been removed.
   */
  public Analysis analyzeAlone(HostSnapshot s) {
    return new Analyzer(clock, trackerSettings, leakThreshold).analyze(s);
  }
}
