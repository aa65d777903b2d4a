package io.cgwatch.model;

import java.util.OptionalDouble;

/**
 * Memory cgroup IDs in use against the kernel's 16-bit limit; when it is reached, mkdir of a new cgroup fails
 * (ENOSPC up to 6.8, EBUSY from 6.9 on).
 *
 * @param rule how {@code inUse} was counted: {@code live} (IDs are freed when a memcg goes offline, 4.8+; IDs
 *     pinned by swapped-out pages of dying memcgs are invisible) or {@code live_and_dying} (older kernels keep
 *     a dying memcg's ID)
 * @param source where the live count came from: {@code nr_subsys_memory}, {@code memory_directories} or
 *     {@code cgroup_directories} (an upper bound)
 * @param growthPerHour robust (Theil-Sen) change of {@code inUse} per hour over the forecast window; absent until
 *     the samples cover its minimum span and count
 * @param exhaustionEtaSeconds time until {@code inUse} reaches {@code limit} at that rate; present only when
 *     {@code forecast} is {@code steady}
 * @param forecast why there is (no) ETA: {@code warming_up} (too little history), {@code flat} (not growing),
 *     {@code unsteady} (a burst: one half of the window did not rise) or {@code steady}
 */
public record MemcgIds(long inUse, long limit, String rule, String source, OptionalDouble growthPerHour,
    OptionalDouble exhaustionEtaSeconds, String forecast) {

  /** Before any history: one snapshot alone gives no trend. */
  public static final String NO_HISTORY = "warming_up";

  public MemcgIds withForecast(OptionalDouble growth, OptionalDouble eta, String forecast) {
    return new MemcgIds(inUse, limit, rule, source, growth, eta, forecast);
  }
}
