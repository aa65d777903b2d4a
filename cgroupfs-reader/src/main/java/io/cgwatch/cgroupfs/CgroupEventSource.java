package io.cgwatch.cgroupfs;

import io.cgwatch.model.CgroupEvent;
import io.cgwatch.model.WatchStats;
import java.util.List;

/** Where a scan cycle takes the changes seen since the last drain; {@link #NONE} when nothing watches. */
public interface CgroupEventSource {
  /** Every event since the last drain, oldest first, and the watcher's state now. Never blocks. */
  Batch drain();

  /** A drain's result. */
  record Batch(List<CgroupEvent> events, WatchStats stats) {
    public Batch {
      events = List.copyOf(events);
    }
  }

  /** Polling only. */
  CgroupEventSource NONE = () -> new Batch(List.of(), WatchStats.DISABLED);
}
