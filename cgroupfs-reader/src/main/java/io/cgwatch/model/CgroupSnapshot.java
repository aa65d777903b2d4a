package io.cgwatch.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One cgroup as read in one scan. Identity is {@code hierarchy + path + inode}: a cgroup removed and created
 * again under the same path has a new inode.
 *
 * @param hierarchy the hierarchy name ({@code unified}, or the v1 controller list such as {@code memory})
 * @param version the hierarchy's cgroup version, 1 or 2
 * @param path path relative to the hierarchy's mount, {@code /} for the mount's root
 * @param depth 0 for the mount's root, 1 for its children, ...
 * @param populated v2 {@code cgroup.events populated}; v1 leaves: a non-empty {@code cgroup.procs}; absent on
 *     the root and on v1 cgroups with children
 * @param children live child cgroups (subdirectories) seen by the walk
 * @param lastActivity the later of the directory's creation and the last process attach (mtimes on kernfs)
 * @param nrSubsys {@code cgroup.stat nr_subsys_<ss>} (kernel 6.11+), absent where the kernel does not print it
 * @param frozen v2 {@code cgroup.events frozen} (5.2+): the cgroup's tasks are frozen; absent on the root and v1
 */
public record CgroupSnapshot(
    String hierarchy,
    int version,
    String path,
    long inode,
    int depth,
    int children,
    Instant lastActivity,
    Optional<Boolean> populated,
    OptionalLong nrDescendants,
    OptionalLong nrDyingDescendants,
    Optional<Map<String, Long>> nrSubsys,
    Optional<Map<String, Long>> nrDyingSubsys,
    Optional<List<String>> controllers,
    Optional<List<String>> subtreeControl,
    Optional<MemorySnapshot> memory,
    Optional<PressureSnapshot> pressure,
    Optional<PidsSnapshot> pids,
    Optional<Boolean> frozen) {

  public CgroupSnapshot {
    nrSubsys = KeyedCounters.immutableIn(nrSubsys);
    nrDyingSubsys = KeyedCounters.immutableIn(nrDyingSubsys);
    controllers = immutableList(controllers);
    subtreeControl = immutableList(subtreeControl);
  }

  /** {@code l} itself when its list is immutable already (the reader's), so a snapshot builds no Optional. */
  private static Optional<List<String>> immutableList(Optional<List<String>> l) {
    if (l.isEmpty()) {
      return l;
    }
    List<String> copy = List.copyOf(l.get()); // the same list when immutable already
    return copy == l.get() ? l : Optional.of(copy);
  }

  /** {@code nr_dying_subsys_<controller>}, absent on kernels before 6.11 or when not bound to v2. */
  public OptionalLong nrDyingSubsys(String controller) {
    Long v = nrDyingSubsys.map(m -> m.get(controller)).orElse(null);
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }
}
