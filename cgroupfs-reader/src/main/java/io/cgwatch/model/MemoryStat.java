package io.cgwatch.model;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code memory.stat} in one vocabulary for both cgroup versions, translated once by the reader; nothing
 * downstream looks at the kernel's key names or the cgroup version to account memory. Sizes in bytes, each
 * absent when the kernel did not print it. Every figure covers the cgroup and its whole subtree, dying
 * descendants included (v2 keys are hierarchical; on v1 these are the {@code total_*} keys):
 * <ul>
 *   <li>{@code file}: v2 {@code file} (page cache incl. tmpfs); v1 {@code total_cache}
 *   <li>{@code anon}: v2 {@code anon}; v1 {@code total_rss}
 *   <li>{@code shmem}, {@code fileMapped}, {@code fileDirty}, {@code fileWriteback}: v2 {@code shmem},
 *       {@code file_mapped}, {@code file_dirty}, {@code file_writeback}; v1 {@code total_shmem},
 *       {@code total_mapped_file}, {@code total_dirty}, {@code total_writeback}
 *   <li>{@code kernel}, {@code slab}, {@code percpu}, {@code sock}: v2 only
 * </ul>
 *
 * @param own the cgroup's own charges without its children, where the kernel prints them (v1 {@code cache},
 *     {@code rss}, {@code shmem}, {@code mapped_file}; no usage figure); absent on v2, which has no local keys
 * @param ownDirty the cgroup's own dirty and writeback page cache without its children (v1 {@code dirty},
 *     {@code writeback}); absent on v2
 */
public record MemoryStat(OptionalLong fileBytes, OptionalLong anonBytes, OptionalLong shmemBytes,
    OptionalLong fileMappedBytes, OptionalLong fileDirtyBytes, OptionalLong fileWritebackBytes,
    OptionalLong kernelBytes, OptionalLong slabBytes, OptionalLong percpuBytes, OptionalLong sockBytes,
    Optional<Charges> own, Optional<DirtyPages> ownDirty) {

  public static final MemoryStat NONE = new MemoryStat(OptionalLong.empty(), OptionalLong.empty(),
      OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
      OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty());

  /** Page cache waiting to be written ({@code dirty}) or being written ({@code writeback}), in bytes. */
  public record DirtyPages(OptionalLong dirtyBytes, OptionalLong writebackBytes) {}

  /** The subtree's charges, with {@code usage} as the usage figure (v2 memory.current, v1 usage_in_bytes). */
  public Charges charges(OptionalLong usage) {
    return new Charges(usage, fileBytes, anonBytes, shmemBytes, fileMappedBytes, kernelBytes, percpuBytes);
  }
}
