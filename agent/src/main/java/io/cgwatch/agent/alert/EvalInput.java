package io.cgwatch.agent.alert;

import io.cgwatch.model.Analysis;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the rules look at after a scan (or after a failed one).
 *
 * @param analysis the latest successful analysis; empty when none succeeded yet
 * @param lastSuccess when the last scan succeeded; empty when none did
 * @param startedAt when the agent started (scan failures before any success count from here)
 * @param rootMemoryStatSeconds the last root memory.stat read time, when it was timed
 */
public record EvalInput(Optional<Analysis> analysis, Optional<Instant> lastSuccess, Instant startedAt,
    Duration interval, OptionalDouble rootMemoryStatSeconds) {}
