package io.cgwatch.model;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Lifecycle of one parent's children since the tracker started.
 *
 * @param zombies removed children (at any depth below, whose nearest seen parent is this one) still dying
 * @param unknownOriginDying dying descendants the kernel counts here beyond the zombies cgwatch can name
 *     (removed before it started, or deeper than it reads); absent where no per-parent count exists (v1)
 * @param zombieChargesAtDeath the sum of the zombies' charges when they were removed
 */
public record ParentLifecycle(String hierarchy, String path, long created, long removed, long recreated,
    long zombies, Optional<Duration> oldestZombieAge, OptionalLong unknownOriginDying, Charges zombieChargesAtDeath,
    ReapLag reapLag) {}
