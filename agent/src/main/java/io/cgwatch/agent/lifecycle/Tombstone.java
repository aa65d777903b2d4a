package io.cgwatch.agent.lifecycle;

import io.cgwatch.model.Charges;
import java.time.Instant;

/** A removed cgroup, remembered for the retention time. Mutable only in {@code dying}, by the tracker. */
final class Tombstone {
  final String hierarchy;
  final String path;
  final String parent;
  final long inode;
  final Instant lastSeenAlive;
  final Instant removedAt;
  final Charges chargesAtDeath;
  final boolean v1;
  boolean dying = true;

  Tombstone(String hierarchy, String path, String parent, long inode, Instant lastSeenAlive, Instant removedAt,
      Charges chargesAtDeath, boolean v1) {
    this.hierarchy = hierarchy;
    this.path = path;
    this.parent = parent;
    this.inode = inode;
    this.lastSeenAlive = lastSeenAlive;
    this.removedAt = removedAt;
    this.chargesAtDeath = chargesAtDeath;
    this.v1 = v1;
  }

  /** Page cache first: it is what keeps a memcg dying; a group that charged none is freed almost at once. */
  long freeOrderBytes() {
    return chargesAtDeath.fileBytes().orElse(0);
  }

  long usageBytes() {
    return chargesAtDeath.usageBytes().orElse(0);
  }
}
