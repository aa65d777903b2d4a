package io.cgwatch.cgroupfs;

/**
 * What one scan reads.
 *
 * @param maxDepth cgroups deeper than this (the mount's root is depth 0) are walked and counted but their files
 *     are not read; {@link #UNLIMITED_DEPTH} reads all
 */
public record ScanOptions(int maxDepth) {
  public static final int UNLIMITED_DEPTH = Integer.MAX_VALUE;
  public static final ScanOptions DEFAULTS = new ScanOptions(UNLIMITED_DEPTH);

  public ScanOptions {
    if (maxDepth < 0) {
      throw new IllegalArgumentException("maxDepth must be >= 0, got " + maxDepth);
    }
  }
}
