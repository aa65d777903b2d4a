package io.cgwatch.cgroupfs;

import java.util.Set;

/**
 * What one scan reads.
 *
 * @param maxDepth cgroups deeper than this (the mount's root is depth 0) are walked and counted but their files
 *     are not read; {@link #UNLIMITED_DEPTH} reads all
 * @param readRootMemoryStat false to skip the root's {@code memory.stat}, whose read can take seconds on a host
 *     full of dying cgroups (the agent throttles it when it is slow)
 * @param maxDirectories bound against hostile trees: at most this many directories (cgroups) are walked per scan,
 *     over all hierarchies; the rest are left out and a {@code limit_cgroups} error is recorded. Not serve's
 *     {@code --max-cgroups}, which caps exported series ({@code ExportOptions.maxCgroups})
 * @param maxWalkDepth bound against hostile trees: directories deeper than this are not walked at all (a
 *     {@code limit_depth} error is recorded), so a 10,000-deep chain costs neither memory quadratic in its depth
 *     (every directory holds its whole path) nor thousands of ENAMETOOLONG errors past PATH_MAX
 * @param slowTierCarried cgroups whose slow-tier files ({@link ReadPlan#V2_SLOW_FILES},
 *     {@link ReadPlan#V1_MEMORY_SLOW_FILES}) are not read in this scan because the caller carries their last
 *     values forward ({@link SlowTierCarry}); empty (the default) reads every tier of every cgroup. A cgroup not
 *     in the set (new since the caller's last scan, or a new incarnation with another inode) is read in full
 */
public record ScanOptions(int maxDepth, boolean readRootMemoryStat, int maxDirectories, int maxWalkDepth,
    Set<CgroupKey> slowTierCarried) {
  public static final int UNLIMITED_DEPTH = Integer.MAX_VALUE;
  /** Far above a real host: the memcg ID space is 65,535 and systemd and Kubernetes trees are 3 to 8 deep. */
  public static final int DEFAULT_MAX_DIRECTORIES = 250_000;
  public static final int DEFAULT_MAX_WALK_DEPTH = 256;
  public static final ScanOptions DEFAULTS = new ScanOptions(UNLIMITED_DEPTH, true);

  public ScanOptions(int maxDepth) {
    this(maxDepth, true);
  }

  public ScanOptions(int maxDepth, boolean readRootMemoryStat) {
    this(maxDepth, readRootMemoryStat, DEFAULT_MAX_DIRECTORIES, DEFAULT_MAX_WALK_DEPTH);
  }

  public ScanOptions(int maxDepth, boolean readRootMemoryStat, int maxDirectories, int maxWalkDepth) {
    this(maxDepth, readRootMemoryStat, maxDirectories, maxWalkDepth, Set.of());
  }

  public ScanOptions withReadRootMemoryStat(boolean read) {
    return new ScanOptions(maxDepth, read, maxDirectories, maxWalkDepth, slowTierCarried);
  }

  /** The same options with other bounds against hostile trees. */
  public ScanOptions withBounds(int directories, int walkDepth) {
    return new ScanOptions(maxDepth, readRootMemoryStat, directories, walkDepth, slowTierCarried);
  }

  /** The same options, skipping the slow tier of these cgroups (their values are carried by the caller). */
  public ScanOptions withSlowTierCarried(Set<CgroupKey> carried) {
    return new ScanOptions(maxDepth, readRootMemoryStat, maxDirectories, maxWalkDepth, carried);
  }

  /** Whether this scan reads the slow-tier files of {@code dir} (of hierarchy {@code hierarchy}). */
  boolean readsSlowTier(String hierarchy, CgroupDir dir) {
    return slowTierCarried.isEmpty()
        || !slowTierCarried.contains(new CgroupKey(hierarchy, dir.cgroupPath(), dir.inode()));
  }

  /** A cgroup's identity across scans: removed and made again under the same path, it has a new inode. */
  public record CgroupKey(String hierarchy, String path, long inode) {}

  public ScanOptions {
    slowTierCarried = Set.copyOf(slowTierCarried);
    if (maxDepth < 0) {
      throw new IllegalArgumentException("maxDepth must be >= 0, got " + maxDepth);
    }
    if (maxDirectories < 1 || maxWalkDepth < 0) {
      throw new IllegalArgumentException("maxDirectories must be >= 1 and maxWalkDepth >= 0");
    }
  }
}
