package io.cgwatch.model;

import java.util.List;

/**
 * Dying cgroups, zombies and orphaned page cache per owner, most dying first.
 *
 * @param hierarchy the memory hierarchy the figures come from; empty when there is none
 * @param dyingAttribution {@code per_parent} (v2: every dying cgroup is attributed), {@code candidates} (v1: only
 *     the lifecycle's zombie candidates are), {@code none} (no count to attribute)
 * @param unattributedDying dying cgroups counted for the hierarchy but given to no owner (v1: the dying of
 *     unknown origin, or all of them before a second scan)
 * @param podLogDirs pods named by the host's {@code /var/log/pods}, 0 when it was not visible
 */
public record OwnerReport(String hierarchy, String dyingAttribution, List<OwnerRollup> owners,
    long unattributedDying, int podLogDirs) {

  public static final OwnerReport NONE = new OwnerReport("", "none", List.of(), 0, 0);

  public OwnerReport {
    owners = List.copyOf(owners);
  }
}
