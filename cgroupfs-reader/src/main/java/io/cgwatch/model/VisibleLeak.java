package io.cgwatch.model;

import java.time.Duration;
import java.time.Instant;

/**
 * A cgroup that is not dying but abandoned: no processes, no children, and no activity (creation or process
 * attach) for longer than the threshold. Cleaned up by removing the directory, unlike a zombie.
 */
public record VisibleLeak(String hierarchy, String path, Instant lastActivity, Duration idle) {}
