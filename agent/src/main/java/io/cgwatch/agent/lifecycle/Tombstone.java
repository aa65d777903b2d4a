package io.cgwatch.agent.lifecycle;

import io.cgwatch.model.Charges;
import java.time.Instant;
import java.util.Map;

/** A removed cgroup, remembered for the retention time. Mutable only in {@code dying}, by the tracker. */
final class Tombstone {
  final String hierarchy;
  final String path;
  final String parent;
  final long inode;
  final Instant lastSeenAlive;
  final Instant removedAt;
  final Charges chargesAtDeath;
  /** {@code populated_0}, {@code last_poll} or {@code created}: see {@link io.cgwatch.model.Zombie}. */
  final String chargesFrom;
  /** Seen alive by a scan, not only by the watcher's events. */
  final boolean polled;
  final boolean v1;
  /**
   * Ancestor path → its inode when this cgroup was last seen alive. A cgroup is below a live P only if P is still
   * the same directory: after P is removed and recreated, the old P's dying children are not the new P's.
   */
  final Map<String, Long> ancestors;
  boolean dying = true;
  /** Removed during a scan that saw cgroups vanish mid-read: the counts of that scan may not include it yet. */
  boolean unsettled;

  Tombstone(String hierarchy, String path, String parent, long inode, Instant lastSeenAlive, Instant removedAt,
      Charges chargesAtDeath, String chargesFrom, boolean polled, boolean v1, Map<String, Long> ancestors) {
    this.hierarchy = hierarchy;
    this.path = path;
    this.parent = parent;
    this.inode = inode;
    this.lastSeenAlive = lastSeenAlive;
    this.removedAt = removedAt;
    this.chargesAtDeath = chargesAtDeath;
    this.chargesFrom = chargesFrom;
    this.polled = polled;
    this.v1 = v1;
    this.ancestors = Map.copyOf(ancestors);
  }

  /** Whether this cgroup was a descendant of the live cgroup {@code path} with {@code inode}. */
  boolean isBelow(String path, long inode) {
    Long seen = ancestors.get(path);
    return seen != null && seen == inode;
  }

  /** Page cache first: it is what keeps a memcg dying; a group that charged none is freed almost at once. */
  long freeOrderBytes() {
    return chargesAtDeath.fileBytes().orElse(0);
  }

  long usageBytes() {
    return chargesAtDeath.usageBytes().orElse(0);
  }

  /** Seen with nothing charged (usage 0, not merely unread): nothing pins it, the kernel frees it at once. */
  boolean heldNoCharge() {
    return chargesAtDeath.usageBytes().isPresent() && chargesAtDeath.usageBytes().getAsLong() == 0;
  }
}
