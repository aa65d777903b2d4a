package io.cgwatch.model;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One snapshot with everything derived from it: the object renderers render. {@code lifecycle} is present when
 * more than one snapshot was observed (it needs history).
 */
public record Analysis(HostSnapshot snapshot, List<OrphanedMemory> orphaned, HostOrphaned hostOrphaned,
    Optional<MemcgIds> memcgIds, List<VisibleLeak> visibleLeaks, Duration visibleLeakThreshold,
    Optional<LifecycleView> lifecycle) {

  public Analysis {
    orphaned = List.copyOf(orphaned);
    visibleLeaks = List.copyOf(visibleLeaks);
  }
}
