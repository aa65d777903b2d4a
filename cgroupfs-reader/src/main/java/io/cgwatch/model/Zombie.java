package io.cgwatch.model;

import java.time.Duration;
import java.time.Instant;

/**
 * A removed cgroup cgwatch saw alive and that the kernel still counts as dying.
 *
 * @param attribution {@code subtree} on v2 (matched against {@code nr_dying_descendants} of its ancestors) or
 *     {@code hierarchy} on v1 (only the hierarchy-wide count exists)
 * @param chargesAtDeath the memory values kept for its death: read when {@code cgroup.events} said
 *     {@code populated 0} (the watcher), else the last ones seen before removal
 * @param chargesFrom where {@code chargesAtDeath} come from: {@code populated_0} (read by the watcher when the last
 *     task left), {@code last_poll} (the last scan that saw it alive), {@code created} (read by the watcher when
 *     the directory appeared; no scan saw it alive and it never reported {@code populated 0})
 */
public record Zombie(String hierarchy, String path, long inode, Instant lastSeenAlive, Instant removedAt,
    Duration age, Charges chargesAtDeath, String chargesFrom, String attribution) {}
