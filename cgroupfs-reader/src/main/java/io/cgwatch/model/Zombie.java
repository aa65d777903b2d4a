package io.cgwatch.model;

import java.time.Duration;
import java.time.Instant;

/**
 * A removed cgroup cgwatch saw alive and that the kernel still counts as dying.
 *
 * @param attribution {@code subtree} on v2 (matched against {@code nr_dying_descendants} of its ancestors) or
 *     {@code hierarchy} on v1 (only the hierarchy-wide count exists)
 * @param chargesAtDeath the last memory values seen before removal
 */
public record Zombie(String hierarchy, String path, long inode, Instant lastSeenAlive, Instant removedAt,
    Duration age, Charges chargesAtDeath, String attribution) {}
