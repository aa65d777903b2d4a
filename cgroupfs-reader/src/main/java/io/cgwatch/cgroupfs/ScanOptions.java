package io.cgwatch.cgroupfs;

/**
 * What one scan reads.
 *
 * @param maxDepth cgroups deeper than this (the mount's root is depth 0) are walked and counted but their files
 *     are not read; {@link #UNLIMITED_DEPTH} reads all
 * @param readRootMemoryStat false to skip the root's {@code memory.stat}, whose read can take seconds on a host
 *     full of dying cgroups (the agent throttles it when it is slow)
 */
public record ScanOptions(int maxDepth, boolean readRootMemoryStat) {
  public static final int UNLIMITED_DEPTH = Integer.MAX_VALUE;
  public static final ScanOptions DEFAULTS = new ScanOptions(UNLIMITED_DEPTH, true);

  public ScanOptions(int maxDepth) {
    this(maxDepth, true);
  }

  public ScanOptions withReadRootMemoryStat(boolean read) {
    return new ScanOptions(maxDepth, read);
  }

  public ScanOptions {
    if (maxDepth < 0) {
      throw new IllegalArgumentException("maxDepth must be >= 0, got " + maxDepth);
    }
  }
}
