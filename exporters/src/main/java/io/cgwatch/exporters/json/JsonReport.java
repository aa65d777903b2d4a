package io.cgwatch.exporters.json;

import java.util.List;
import java.util.Map;

/**
 * The JSON document of {@code cgwatch diagnose --json}, schema version {@value #SCHEMA_VERSION}. These records
 * are the contract (documented in docs/json-schema.md); the internal model may change without changing them.
 * Field order is declaration order. A value the kernel did not provide is {@code null}, never 0. Limits are a
 * number of bytes or the string {@code "max"}, as the kernel writes them.
 */
public final class JsonReport {
  public static final int SCHEMA_VERSION = 1;

  private JsonReport() {}

  public record Document(int schemaVersion, String takenAt, String verdict, List<Alert> alerts, Host host,
      Capabilities capabilities,
      List<Hierarchy> hierarchies, Dying dyingMemoryCgroups, HostOrphaned orphanedMemory, StillDying stillDying,
      MemcgIds memcgIds,
      List<VisibleLeak> visibleLeaks, Lifecycle lifecycle, Owners owners, List<Cgroup> cgroups, Scan scan) {}

  /** Dying cgroups, zombies and orphaned page cache per workload (docs/owners.md), most dying first. */
  public record Owners(String hierarchy, String dyingAttribution, long unattributedDying, int podLogDirs,
      List<OwnerEntry> owners) {}

  /** One owner: who it is (absent fields null), then what it left behind. */
  public record OwnerEntry(String kind, String name, String namespace, String podUid, String container,
      String runtime, String qos, long dying, long zombies, long orphanedFileBytes, Charges chargesAtDeath) {}

  /** A pending or firing built-in alert. */
  public record Alert(String name, String severity, String state, String hierarchy, String cgroup, double value,
      double threshold, String activeSince, String summary, String description) {}

  public record Capabilities(String kernelVersion, boolean nrDyingSubsys, boolean psi, boolean memoryPeak,
      boolean memoryReclaim, boolean memoryEventsLocal, List<String> kernelCgroupParameters,
      Boolean reparentsPageCache, Boolean dyingKeepMemcgIds, boolean fullView, List<Decision> decisions) {}

  /** Why a capability was decided: {@code source} is files, kernel_version (the last hint) or none. */
  public record Decision(String name, String value, String source, String because) {}

  /** Why removed memory cgroups are still dying, per parent, and what the dying memcgs cost. */
  public record StillDying(List<DyingParent> parents, DyingCost cost) {}

  /** {@code cause} picks {@code advice} (the text report's step for that parent). */
  public record DyingParent(String hierarchy, String path, Long dying, String cause, String advice, Long fileBytes,
      Long fileDirtyBytes, Long fileWritebackBytes, Long mappedOrShmemBytes, Long kernelBytes, Boolean kernelPins) {}

  public record DyingCost(Long dying, Long memcgs, Long percpuMeasuredBytes, Long perCpuEstimateBytes,
      Long perCpuMeasuredAtMostBytes, Long perMemcgBytes, String method, Long dyingBytes) {}

  /** Orphaned memory summed over every parent; see {@link Orphaned}. */
  public record HostOrphaned(Long usageBytes, Long fileBytes, Long fileMappedBytes, Long shmemBytes,
      Long anonBytes, Long kernelBytes, Long percpuBytes, int parents, Long dyingKernelMemoryBytes) {}

  public record MemcgIds(long inUse, long limit, String rule, String source, Double growthPerHour,
      Double exhaustionEtaSeconds, String forecast) {}

  public record VisibleLeak(String hierarchy, String path, String lastActivity, double idleSeconds) {}

  public record Lifecycle(String since, int observations, long created, long removed, long recreated,
      long unknownOriginDying, long tombstones, long tombstonesDropped, long tombstonesExpired, List<Zombie> zombies,
      List<ZombieBound> zombieBounds, List<Parent> parents) {}

  public record Zombie(String hierarchy, String path, long inode, String lastSeenAlive, String removedAt,
      double ageSeconds, Long chargedFileBytes, Charges chargesAtDeath, String chargesAt, String attribution) {}

  public record ZombieBound(String hierarchy, long listed, long atMost, long kernelDying, long unknownOrigin,
      long removedEmpty) {}

  public record Parent(String hierarchy, String path, long created, long removed, long recreated, long zombies,
      Double oldestZombieAgeSeconds, Long unknownOriginDying, Charges zombieChargesAtDeath, ReapLag reapLag) {}

  public record Charges(Long usageBytes, Long fileBytes, Long fileMappedBytes, Long shmemBytes, Long anonBytes,
      Long kernelBytes, Long percpuBytes) {}

  public record ReapLag(List<Bucket> buckets, long count, double sumSeconds) {}

  /** {@code le} is the bucket's upper bound in seconds, {@code "+Inf"} for the last. */
  public record Bucket(String le, long count) {}

  /** Per cgroup: memory its live children do not account for (an upper bound of what dying ones left). */
  public record Orphaned(Long usageBytes, Long fileBytes, Long fileMappedBytes, Long shmemBytes, Long anonBytes,
      Long kernelBytes, Long percpuBytes, String method, int clampedNegatives) {}

  public record Host(String kernelRelease, String cgroupMode, Integer cpus, Long memoryTotalBytes,
      Long percpuBytes) {}

  public record Hierarchy(String name, int version, String mountPoint, String mountRoot, boolean fullView,
      List<String> controllers, long liveCgroups, Long dyingCgroups, String dyingMethod, String dyingUnknownReason) {}

  public record Dying(Long count, String method, String unknownReason) {}

  public record Cgroup(String hierarchy, String path, long inode, int depth, Boolean populated,
      Long nrDescendants, Long nrDyingDescendants, Map<String, Long> nrSubsys, Map<String, Long> nrDyingSubsys,
      List<String> controllers, List<String> subtreeControl, Memory memory, Orphaned orphaned,
      Pressures pressure, Pids pids, Boolean frozen) {}

  /** {@code *_bytes} limits are a number or {@code "max"}. */
  public record Memory(Long currentBytes, Object minBytes, Object lowBytes, Object highBytes, Object maxBytes,
      Long peakBytes, Long swapCurrentBytes, Map<String, Long> events, Map<String, Long> eventsLocal,
      Map<String, Long> stat, Long failcnt, Long maxUsageBytes, Long kmemUsageBytes, Long kmemMaxUsageBytes,
      Map<String, Long> oomControl, Object swapMaxBytes, Map<String, Long> swapEvents) {}

  public record Pressures(Pressure memory, Pressure cpu, Pressure io) {}

  public record Pressure(Psi some, Psi full) {}

  public record Psi(double avg10, double avg60, double avg300, double totalSeconds) {}

  public record Pids(Long current, Object max, Map<String, Long> events) {}

  public record Scan(double durationSeconds, long cgroups, long vanished, List<Error> errors) {}

  public record Error(String path, String file, String kind, String message) {}
}
