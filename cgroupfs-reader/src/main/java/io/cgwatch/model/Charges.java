package io.cgwatch.model;

import java.util.OptionalLong;

/**
 * Memory charged to a cgroup, in bytes, in one vocabulary for both versions (absent where the version has no
 * such figure):
 * <ul>
 *   <li>{@code usage}: v2 {@code memory.current}; v1 {@code memory.usage_in_bytes};
 *   <li>{@code file}: v2 {@code file} (page cache incl. tmpfs); v1 {@code total_cache};
 *   <li>{@code anon}: v2 {@code anon}; v1 {@code total_rss};
 *   <li>{@code shmem}, {@code fileMapped}: v2 {@code shmem}, {@code file_mapped}; v1 {@code total_shmem},
 *       {@code total_mapped_file};
 *   <li>{@code kernel}, {@code percpu}: v2 only.
 * </ul>
 */
public record Charges(OptionalLong usageBytes, OptionalLong fileBytes, OptionalLong anonBytes,
    OptionalLong shmemBytes, OptionalLong fileMappedBytes, OptionalLong kernelBytes, OptionalLong percpuBytes) {

  public static final Charges NONE = new Charges(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
      OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

  public static final Charges ZERO = new Charges(OptionalLong.of(0), OptionalLong.of(0), OptionalLong.of(0),
      OptionalLong.of(0), OptionalLong.of(0), OptionalLong.of(0), OptionalLong.of(0));

  /** What a cgroup and its subtree hold now (the reader translated v1's {@code total_*} keys). */
  public static Charges of(CgroupSnapshot c) {
    return c.memory().map(MemorySnapshot::charges).orElse(NONE);
  }

  /** Field-wise sum; a field is present when present on either side. */
  public Charges plus(Charges o) {
    return new Charges(add(usageBytes, o.usageBytes), add(fileBytes, o.fileBytes), add(anonBytes, o.anonBytes),
        add(shmemBytes, o.shmemBytes), add(fileMappedBytes, o.fileMappedBytes), add(kernelBytes, o.kernelBytes),
        add(percpuBytes, o.percpuBytes));
  }

  private static OptionalLong add(OptionalLong a, OptionalLong b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() ? a : OptionalLong.of(Saturating.add(a.getAsLong(), b.getAsLong()));
  }
}
