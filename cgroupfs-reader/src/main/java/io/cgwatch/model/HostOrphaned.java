package io.cgwatch.model;

import java.util.OptionalLong;

/**
 * Host-wide figures for what removed cgroups leave behind.
 *
 * @param bytes the sum of every parent's {@link OrphanedMemory}: each estimate covers only what no live child
 *     covers, so parents at different depths never count the same page twice
 * @param parents how many parents had an estimate
 * @param dyingKernelMemoryBytes kernel memory held by the dying memory cgroups themselves, estimated as
 *     {@value #PER_CPU_BYTES} B × CPUs + {@value #FIXED_BYTES} B each (kernel-facts §3.4); absent when the dying
 *     count or the CPU count is unknown
 */
public record HostOrphaned(Charges bytes, int parents, OptionalLong dyingKernelMemoryBytes) {
  public static final long PER_CPU_BYTES = 2048;
  public static final long FIXED_BYTES = 10240;

  public static long perDyingMemcgBytes(int cpus) {
    return PER_CPU_BYTES * cpus + FIXED_BYTES;
  }
}
