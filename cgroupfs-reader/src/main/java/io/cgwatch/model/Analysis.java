package io.cgwatch.model;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One snapshot with everything derived from it: the object renderers render. {@code lifecycle} is present when
 * more than one snapshot was observed (it needs history); {@code alerts} holds the pending and firing ones;
 * {@code stillDying} says, per parent, what keeps removed memory cgroups dying; {@code owners} rolls the dying,
 * zombies and orphaned page cache up per workload (docs/owners.md).
 */
public record Analysis(HostSnapshot snapshot, List<OrphanedMemory> orphaned, HostOrphaned hostOrphaned,
    StillDying stillDying, Optional<MemcgIds> memcgIds, List<VisibleLeak> visibleLeaks, Duration visibleLeakThreshold,
    Optional<LifecycleView> lifecycle, List<AlertStatus> alerts, OwnerReport owners) {

  public Analysis {
    orphaned = List.copyOf(orphaned);
    visibleLeaks = List.copyOf(visibleLeaks);
    alerts = List.copyOf(alerts);
  }

  /** An analysis without owners (tests that build one by hand). */
  public Analysis(HostSnapshot snapshot, List<OrphanedMemory> orphaned, HostOrphaned hostOrphaned,
      StillDying stillDying, Optional<MemcgIds> memcgIds, List<VisibleLeak> visibleLeaks,
      Duration visibleLeakThreshold, Optional<LifecycleView> lifecycle, List<AlertStatus> alerts) {
    this(snapshot, orphaned, hostOrphaned, stillDying, memcgIds, visibleLeaks, visibleLeakThreshold, lifecycle,
        alerts, OwnerReport.NONE);
  }

  /** The same analysis with the alert engine's verdict on it. */
  public Analysis withAlerts(List<AlertStatus> newAlerts) {
    return new Analysis(snapshot, orphaned, hostOrphaned, stillDying, memcgIds, visibleLeaks, visibleLeakThreshold,
        lifecycle, newAlerts, owners);
  }

  /** ok, warning or critical from the firing alerts; unknown when no cgroup hierarchy could be read. */
  public String verdict() {
    if (snapshot.mode() == CgroupMode.UNAVAILABLE) {
      return "unknown";
    }
    if (alerts.stream().anyMatch(a -> a.firing() && "critical".equals(a.severity()))) {
      return "critical";
    }
    return alerts.stream().anyMatch(AlertStatus::firing) ? "warning" : "ok";
  }
}
