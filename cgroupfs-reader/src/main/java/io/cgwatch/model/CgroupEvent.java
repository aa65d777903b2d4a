package io.cgwatch.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change in the memory hierarchy, as the inotify watcher saw it happen: between two scans, with its own time.
 *
 * @param at when the watcher handled the change (the watcher's clock), not when the scan ran
 * @param hierarchy the hierarchy name, as in {@link CgroupSnapshot#hierarchy()}
 * @param path relative to the hierarchy's mount, as in {@link CgroupSnapshot#path()}; untrusted
 * @param inode the directory's inode for {@code CREATED} (and {@code UNPOPULATED} when known), {@code -1} otherwise
 * @param charges {@code UNPOPULATED}: what the cgroup was charged when {@code cgroup.events} said {@code
 *     populated 0}, read with the scan's own parsers; {@code CREATED}: what a new directory already held when it
 *     was first read (a job may have charged it before the watch was up); absent on {@code REMOVED} or when
 *     the read failed or the cgroup was already gone
 */
public record CgroupEvent(Instant at, Kind kind, String hierarchy, String path, long inode,
    Optional<Charges> charges) {

  public CgroupEvent {
    Objects.requireNonNull(at);
    Objects.requireNonNull(kind);
    Objects.requireNonNull(hierarchy);
    Objects.requireNonNull(path);
    Objects.requireNonNull(charges);
  }

  /** What happened; {@link #label()} is the {@code kind} label of {@code cgwatch_watch_events_total}. */
  public enum Kind {
    /** A new cgroup directory (mkdir), or one found when its parent was first registered. */
    CREATED("created"),
    /** v2: {@code cgroup.events} went from {@code populated 1} to {@code populated 0}: the last task left. */
    UNPOPULATED("unpopulated"),
    /** The directory was removed (rmdir). */
    REMOVED("removed");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
