package io.cgwatch.model;

import java.time.Instant;
import java.util.List;

/**
 * What the lifecycle tracker has learned from successive snapshots.
 *
 * @param since the first snapshot observed; cgroups present then are not counted as created
 * @param unknownOriginDying dying cgroups the kernel counts at the hierarchy roots beyond the zombies cgwatch
 *     saw die
 * @param tombstonesDropped removed cgroups forgotten early because more than the bound were kept
 * @param tombstonesExpired removed cgroups forgotten after the retention time
 * @param bounds one per v1 memory hierarchy: how many of its named zombies can be dying
 */
public record LifecycleView(Instant since, int observations, long created, long removed, long recreated,
    List<ParentLifecycle> parents, List<Zombie> zombies, long unknownOriginDying, long tombstones,
    long tombstonesDropped, long tombstonesExpired, List<ZombieBound> bounds) {

  public LifecycleView {
    parents = List.copyOf(parents);
    zombies = List.copyOf(zombies);
    bounds = List.copyOf(bounds);
  }
}
