package io.cgwatch.model;

import java.util.List;
import java.util.Optional;

/**
 * What this host can tell, so every estimate can say which method it used and why a number is missing.
 *
 * @param kernel the kernel version, when the release could be read
 * @param nrDyingSubsys v2 {@code cgroup.stat} prints {@code nr_dying_subsys_*} (6.11+): dying memcgs exactly
 * @param psi {@code *.pressure} files exist (4.20+, PSI enabled)
 * @param memoryPeak {@code memory.peak} exists (5.19+)
 * @param memoryReclaim the v2 root has {@code memory.reclaim} (5.19+): targeted reclaim of a subtree
 * @param memoryEventsLocal {@code memory.events.local} exists (5.2+)
 * @param kernelCgroupParameters cgroup-related words of the kernel command line ({@code cgroup.memory=nokmem},
 *     {@code cgroup_no_v1=...}, {@code systemd.unified_cgroup_hierarchy=...}, {@code psi=...})
 * @param reparentsPageCache the kernel moves a removed memcg's page cache to its parent (7.1+), so few
 *     memcgs stay dying; empty when the kernel version is unknown
 * @param dyingKeepMemcgIds dying memcgs keep their 16-bit ID (kernels before 4.8, commit 73f576c04b94), so they
 *     count against the 65,535 limit; empty when the kernel version is unknown
 * @param fullView every hierarchy is mounted from its root (not a container's partial view)
 * @param decisions why each capability was decided, in the order above: from the files and behaviour the scan
 *     saw first, the kernel version only as the last hint (vendor kernels backport features)
 */
public record Capabilities(
    Optional<KernelVersion> kernel,
    boolean nrDyingSubsys,
    boolean psi,
    boolean memoryPeak,
    boolean memoryReclaim,
    boolean memoryEventsLocal,
    List<String> kernelCgroupParameters,
    Optional<Boolean> reparentsPageCache,
    Optional<Boolean> dyingKeepMemcgIds,
    boolean fullView,
    List<Decision> decisions) {

  public Capabilities {
    kernelCgroupParameters = List.copyOf(kernelCgroupParameters);
    decisions = List.copyOf(decisions);
  }

  /** Without the reasons (synthetic snapshots of tests). */
  public Capabilities(Optional<KernelVersion> kernel, boolean nrDyingSubsys, boolean psi, boolean memoryPeak,
      boolean memoryReclaim, boolean memoryEventsLocal, List<String> kernelCgroupParameters,
      Optional<Boolean> reparentsPageCache, Optional<Boolean> dyingKeepMemcgIds, boolean fullView) {
    this(kernel, nrDyingSubsys, psi, memoryPeak, memoryReclaim, memoryEventsLocal, kernelCgroupParameters,
        reparentsPageCache, dyingKeepMemcgIds, fullView, List.of());
  }

  /**
   * How one capability was decided.
   *
   * @param name the capability as the report names it ({@code memory.reclaim}, {@code nr_dying_subsys}, ...)
   * @param value {@code yes}, {@code no} or {@code unknown}
   * @param source {@code files} (a listing, mode bits or a file's content), {@code kernel_version} (the last
   *     hint) or {@code none}
   * @param because what was seen, in words
   */
  public record Decision(String name, String value, String source, String because) {
    public static final String FILES = "files";
    public static final String KERNEL_VERSION = "kernel_version";
    public static final String NONE = "none";
  }

  /** Page cache reparenting at removal landed in 7.1 (kernel-facts §3.3). */
  public static Optional<Boolean> reparentsPageCache(Optional<KernelVersion> kernel) {
    return kernel.map(k -> k.atLeast(7, 1));
  }

  /** Dying memcgs released their ID at offline from 4.8 on (kernel-facts §4). */
  public static Optional<Boolean> dyingKeepMemcgIds(Optional<KernelVersion> kernel) {
    return kernel.map(k -> !k.atLeast(4, 8));
  }
}
