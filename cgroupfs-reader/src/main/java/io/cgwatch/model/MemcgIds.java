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
 * @param growthPerHour change of {@code inUse} per hour over the tracker's window; absent with one sample
 * @param exhaustionEtaSeconds time until {@code inUse} reaches {@code limit} at that rate; absent unless growing
 */
public record MemcgIds(long inUse, long limit, String rule, String source, OptionalDouble growthPerHour,
    OptionalDouble exhaustionEtaSeconds) {

  public MemcgIds withForecast(OptionalDouble growth, OptionalDouble eta) {
    return new MemcgIds(inUse, limit, rule, source, growth, eta);
  }
}
