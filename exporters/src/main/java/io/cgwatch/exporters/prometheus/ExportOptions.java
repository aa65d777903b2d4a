package io.cgwatch.exporters.prometheus;

import java.util.List;

/**
 * Which per-cgroup series to export.
 *
 * @param maxDepth {@code --max-depth}, as in {@code ScanOptions}: lifecycle series are labelled with the ancestor at
 *     this depth
 * @param include globs on the cgroup path ({@code *} within one level, {@code **} across levels); empty = all
 * @param exclude globs removed after {@code include}
 * @param maxCgroups at most this many cgroups get per-cgroup series
 * @param maxOwners at most this many owners get {@code cgwatch_owner_*} series (most dying first); the rest are
 *     summed into {@code kind="other"}
 */
public record ExportOptions(int maxDepth, List<String> include, List<String> exclude, int maxCgroups,
    int maxOwners) {
  public static final int DEFAULT_MAX_CGROUPS = 2000;
  public static final int DEFAULT_MAX_OWNERS = 20;
  public static final ExportOptions DEFAULTS = new ExportOptions(3, List.of(), List.of(), DEFAULT_MAX_CGROUPS);

  /** With the default number of owners. */
  public ExportOptions(int maxDepth, List<String> include, List<String> exclude, int maxCgroups) {
    this(maxDepth, include, exclude, maxCgroups, DEFAULT_MAX_OWNERS);
  }

  public ExportOptions {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    if (maxCgroups < 0 || maxDepth < 0 || maxOwners < 0) {
      throw new IllegalArgumentException("maxCgroups, maxDepth and maxOwners must be 0 or more");
    }
    for (String glob : include) {
      CgroupGlob.of(glob); // fail at start-up on a bad pattern, not at the first scrape
    }
    for (String glob : exclude) {
      CgroupGlob.of(glob);
    }
  }

  /** Whether a cgroup path passes include and exclude (matched as a string: see {@link CgroupGlob}). */
  public boolean selects(String cgroupPath) {
    boolean in = include.isEmpty() || include.stream().anyMatch(g -> CgroupGlob.of(g).matches(cgroupPath));
    return in && exclude.stream().noneMatch(g -> CgroupGlob.of(g).matches(cgroupPath));
  }
}
