package io.cgwatch.exporters.prometheus;

import io.cgwatch.model.Analysis;
import io.cgwatch.model.CgroupPaths;
import io.cgwatch.model.CgroupRef;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.Charges;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.Limit;
import io.cgwatch.model.MemorySnapshot;
import io.cgwatch.model.MemoryStat;
import io.cgwatch.model.OrphanedMemory;
import io.cgwatch.model.Owner;
import io.cgwatch.model.OwnerReport;
import io.cgwatch.model.OwnerRollup;
import io.cgwatch.model.ParentLifecycle;
import io.cgwatch.model.Pressure;
import io.cgwatch.model.PsiLine;
import io.cgwatch.model.ReapLag;
import io.cgwatch.model.VisibleLeak;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns an analysis and the agent's own statistics into metric families, in catalog order. Pure and
 * deterministic: cgroups come in snapshot order, label sets in sorted order. No sample timestamps, ever.
 *
 * <pre>
 * cgwatch_dying_memory_cgroups{method="proc_cgroups"} 16.0
 * cgwatch_cgroup_dying_descendants{hierarchy="unified",cgroup="/jobs"} 4.0
 * cgwatch_zombie_cgroups{hierarchy="unified",parent="/jobs"} 3.0
 * </pre>
 */
public final class PrometheusRenderer {
  private PrometheusRenderer() {}

  /**
   * @param analysis the latest analysis; empty before the first scan, or when it is stale (then only the agent's
   *     own series are exported, and {@code cgwatch_up} is 0)
   */
  public static List<MetricFamilySamples> families(Optional<Analysis> analysis, SelfStats self,
      ExportOptions options) {
    Map<MetricCatalog, Family> f = new EnumMap<>(MetricCatalog.class);
    for (MetricCatalog m : MetricCatalog.values()) {
      f.put(m, new Family(m));
    }
    f.get(MetricCatalog.UP).add(analysis.isPresent() ? 1 : 0);
    f.get(MetricCatalog.BUILD_INFO).add(1, self.version());
    analysis.ifPresent(a -> {
      host(a, f);
      int dropped = cgroups(a, options, f);
      f.get(MetricCatalog.SERIES_DROPPED).add(dropped);
      limits(a, dropped, f);
      lifecycle(a, options, f);
      owners(a.owners(), options.maxOwners(), f);
      a.alerts().forEach(al -> f.get(MetricCatalog.ALERT).add(1, al.name(), al.severity(), al.state(),
          al.hierarchy(), al.cgroup()));
    });
    self(self, f);
    List<MetricFamilySamples> out = new ArrayList<>();
    for (Family family : f.values()) {
      if (!family.isEmpty()) {
        out.add(family.build());
      }
    }
    return out;
  }

  private static void host(Analysis a, Map<MetricCatalog, Family> f) {
    HostSnapshot s = a.snapshot();
    f.get(MetricCatalog.HOST_INFO).add(1, s.host().kernelRelease().orElse(""), s.mode().label());
    s.host().cpus().ifPresent(c -> f.get(MetricCatalog.HOST_CPUS).add(c));
    s.host().memoryTotalBytes().ifPresent(m -> f.get(MetricCatalog.HOST_MEMORY).add(m));
    for (HierarchySnapshot h : s.hierarchies()) {
      f.get(MetricCatalog.CGROUPS).add(h.liveCgroups(), h.name(), "live");
      h.dying().count().ifPresent(d -> f.get(MetricCatalog.CGROUPS).add(d, h.name(), "dying"));
    }
    s.dyingMemoryCgroups().count().ifPresent(d -> f.get(MetricCatalog.DYING_MEMORY)
        .add(d, s.dyingMemoryCgroups().method().get().label()));
    a.hostOrphaned().dyingKernelMemoryBytes().ifPresent(b -> f.get(MetricCatalog.DYING_KERNEL_MEMORY).add(b));
    s.host().percpuBytes().ifPresent(b -> f.get(MetricCatalog.HOST_PERCPU).add(b));
    stillDying(a, f);
    a.memcgIds().ifPresent(ids -> {
      f.get(MetricCatalog.MEMCG_IDS_IN_USE).add(ids.inUse());
      f.get(MetricCatalog.MEMCG_ID_LIMIT).add(ids.limit());
      ids.growthPerHour().ifPresent(g -> f.get(MetricCatalog.MEMCG_IDS_GROWTH).add(g));
      ids.exhaustionEtaSeconds().ifPresent(eta -> f.get(MetricCatalog.MEMCG_ID_EXHAUSTION).add(eta));
    });
    Map<String, Long> orphanedByHierarchy = new TreeMap<>();
    for (OrphanedMemory o : a.orphaned()) {
      o.bytes().fileBytes().ifPresent(b -> orphanedByHierarchy.merge(o.hierarchy(), b, io.cgwatch.model.Saturating::add));
    }
    orphanedByHierarchy.forEach((h, b) -> f.get(MetricCatalog.ORPHANED_FILE).add(b, h));
  }

  /** Per-cgroup series for the selected cgroups; returns how many were left out by the cap. */
  private static int cgroups(Analysis a, ExportOptions options, Map<MetricCatalog, Family> f) {
    HostSnapshot s = a.snapshot();
    Map<CgroupRef, OrphanedMemory> orphaned = new HashMap<>();
    a.orphaned().forEach(o -> orphaned.put(CgroupRef.of(o), o));

    List<CgroupSnapshot> selected = s.cgroups().stream().filter(c -> options.selects(c.path())).toList();
    int dropped = Math.max(0, selected.size() - options.maxCgroups());
    if (dropped > 0) {
      // Keep the cgroups that matter for this exporter: most dying below them, then most left behind.
      Comparator<CgroupSnapshot> importance = Comparator
          .comparingLong((CgroupSnapshot c) -> c.nrDyingDescendants().orElse(0))
          .thenComparingLong(c -> orphanedFile(orphaned.get(CgroupRef.of(c))))
          .reversed().thenComparingInt(CgroupSnapshot::depth);
      // An identity set: List.contains here compared whole records, 10,000 x 2,000 deep equals per render.
      Set<CgroupSnapshot> keep = Collections.newSetFromMap(new IdentityHashMap<>());
      selected.stream().sorted(importance).limit(options.maxCgroups()).forEach(keep::add);
      selected = s.cgroups().stream().filter(keep::contains).toList(); // back in snapshot order
    }
    for (CgroupSnapshot c : selected) {
      cgroup(c, orphaned.get(CgroupRef.of(c)), f);
    }
    return dropped;
  }

  private static long orphanedFile(OrphanedMemory o) {
    return o == null ? 0 : o.bytes().fileBytes().orElse(0);
  }

  private static void cgroup(CgroupSnapshot c, OrphanedMemory o, Map<MetricCatalog, Family> f) {
    String h = c.hierarchy();
    String p = c.path();
    c.nrDescendants().ifPresent(v -> f.get(MetricCatalog.CGROUP_DESCENDANTS).add(v, h, p));
    c.nrDyingDescendants().ifPresent(v -> f.get(MetricCatalog.CGROUP_DYING_DESCENDANTS).add(v, h, p));
    c.nrDyingSubsys().ifPresent(m -> new TreeMap<>(m).forEach((ctl, v) ->
        f.get(MetricCatalog.CGROUP_DYING_SUBSYS).add(v, h, p, ctl)));
    c.populated().ifPresent(v -> f.get(MetricCatalog.CGROUP_POPULATED).add(v ? 1 : 0, h, p));
    c.memory().ifPresent(m -> memory(m, h, p, f));
    c.pressure().ifPresent(ps -> {
      ps.memory().ifPresent(x -> pressure(x, "memory", h, p, f));
      ps.cpu().ifPresent(x -> pressure(x, "cpu", h, p, f));
      ps.io().ifPresent(x -> pressure(x, "io", h, p, f));
    });
    if (o != null) {
      Charges b = o.bytes();
      b.usageBytes().ifPresent(v -> f.get(MetricCatalog.CGROUP_ORPHANED_USAGE).add(v, h, p));
      b.fileBytes().ifPresent(v -> f.get(MetricCatalog.CGROUP_ORPHANED_FILE).add(v, h, p));
      b.fileMappedBytes().ifPresent(v -> f.get(MetricCatalog.CGROUP_ORPHANED_FILE_MAPPED).add(v, h, p));
      b.shmemBytes().ifPresent(v -> f.get(MetricCatalog.CGROUP_ORPHANED_SHMEM).add(v, h, p));
    }
  }

  /** memory.stat comes translated (v1 total_* keys as v2's names; v2-only figures absent on v1). */
  private static void memory(MemorySnapshot m, String h, String p, Map<MetricCatalog, Family> f) {
    m.currentBytes().ifPresent(v -> f.get(MetricCatalog.CGROUP_MEMORY_USAGE).add(v, h, p));
    MemoryStat b = m.breakdown();
    stat(b.anonBytes(), MetricCatalog.CGROUP_MEMORY_ANON, h, p, f);
    stat(b.fileBytes(), MetricCatalog.CGROUP_MEMORY_FILE, h, p, f);
    stat(b.fileMappedBytes(), MetricCatalog.CGROUP_MEMORY_FILE_MAPPED, h, p, f);
    stat(b.fileDirtyBytes(), MetricCatalog.CGROUP_MEMORY_FILE_DIRTY, h, p, f);
    stat(b.shmemBytes(), MetricCatalog.CGROUP_MEMORY_SHMEM, h, p, f);
    stat(b.kernelBytes(), MetricCatalog.CGROUP_MEMORY_KERNEL, h, p, f);
    stat(b.slabBytes(), MetricCatalog.CGROUP_MEMORY_SLAB, h, p, f);
    stat(b.percpuBytes(), MetricCatalog.CGROUP_MEMORY_PERCPU, h, p, f);
    stat(b.sockBytes(), MetricCatalog.CGROUP_MEMORY_SOCK, h, p, f);
    limit(m.min(), "min", h, p, f);
    limit(m.low(), "low", h, p, f);
    limit(m.high(), "high", h, p, f);
    limit(m.max(), "max", h, p, f);
    m.events().ifPresent(e -> new TreeMap<>(e).forEach((event, v) ->
        f.get(MetricCatalog.CGROUP_MEMORY_EVENTS).add(v, h, p, event)));
  }

  private static void stat(java.util.OptionalLong value, MetricCatalog metric, String h, String p,
      Map<MetricCatalog, Family> f) {
    value.ifPresent(v -> f.get(metric).add(v, h, p));
  }

  private static void limit(Optional<Limit> limit, String which, String h, String p, Map<MetricCatalog, Family> f) {
    limit.filter(l -> !l.unlimited()).ifPresent(l -> f.get(MetricCatalog.CGROUP_MEMORY_LIMIT)
        .add(l.value(), h, p, which));
  }

  private static void pressure(Pressure x, String resource, String h, String p, Map<MetricCatalog, Family> f) {
    x.some().map(PsiLine::totalSeconds).ifPresent(v -> f.get(MetricCatalog.CGROUP_PRESSURE)
        .add(v, h, p, resource, "some"));
    x.full().map(PsiLine::totalSeconds).ifPresent(v -> f.get(MetricCatalog.CGROUP_PRESSURE)
        .add(v, h, p, resource, "full"));
  }

  /** Lifecycle and visible leaks, summed per ancestor at --max-depth so cardinality stays bounded. */
  private static void lifecycle(Analysis a, ExportOptions options, Map<MetricCatalog, Family> f) {
    Map<CgroupRef, ParentAcc> byParent = new TreeMap<>();
    a.lifecycle().ifPresent(v -> {
      for (ParentLifecycle p : v.parents()) {
        ParentAcc acc = byParent.computeIfAbsent(new CgroupRef(p.hierarchy(), truncate(p.path(), options.maxDepth())),
            k -> new ParentAcc());
        acc.created += p.created();
        acc.removed += p.removed();
        acc.recreated += p.recreated();
        acc.zombies += p.zombies();
        acc.zombieFile = io.cgwatch.model.Saturating.add(acc.zombieFile,
            p.zombieChargesAtDeath().fileBytes().orElse(0));
        p.oldestZombieAge().ifPresent(age -> acc.oldestSeconds = Math.max(acc.oldestSeconds, age.toNanos() / 1e9));
        acc.reapLag = merge(acc.reapLag, p.reapLag());
      }
    });
    for (VisibleLeak l : a.visibleLeaks()) {
      String parent = Optional.ofNullable(CgroupPaths.parent(l.path())).orElse("/");
      byParent.computeIfAbsent(new CgroupRef(l.hierarchy(), truncate(parent, options.maxDepth())),
          k -> new ParentAcc())
          .leaks++;
    }
    boolean tracked = a.lifecycle().isPresent();
    byParent.forEach((k, acc) -> {
      String[] hp = {k.hierarchy(), k.path()};
      if (tracked) {
        f.get(MetricCatalog.CREATED).add(acc.created, hp[0], hp[1]);
        f.get(MetricCatalog.REMOVED).add(acc.removed, hp[0], hp[1]);
        f.get(MetricCatalog.RECREATED).add(acc.recreated, hp[0], hp[1]);
        f.get(MetricCatalog.ZOMBIES).add(acc.zombies, hp[0], hp[1]);
        if (acc.zombies > 0) {
          f.get(MetricCatalog.ZOMBIE_OLDEST_AGE).add(acc.oldestSeconds, hp[0], hp[1]);
        }
        f.get(MetricCatalog.ZOMBIE_FILE).add(acc.zombieFile, hp[0], hp[1]);
        f.get(MetricCatalog.ZOMBIE_REAP_LAG).histogram(new HistogramSnapshot(ReapLag.BOUNDS_SECONDS,
            acc.reapLag.cumulativeCounts(), acc.reapLag.count(), acc.reapLag.sumSeconds()), hp[0], hp[1]);
      }
      f.get(MetricCatalog.EMPTY_CGROUPS).add(acc.leaks, hp[0], hp[1]);
    });
  }

  /**
   * The top {@code max} owners (the report's order: most dying first), then {@code kind="other"} with the sum of
   * the rest, always present once there is an analysis so a sum over owners never loses a series. Owner names
   * are untrusted label values: {@link Family} escapes them like cgroup paths.
   */
  private static void owners(OwnerReport r, int max, Map<MetricCatalog, Family> f) {
    long[] other = new long[4];
    for (int i = 0; i < r.owners().size(); i++) {
      OwnerRollup o = r.owners().get(i);
      long zombieFile = o.chargesAtDeath().fileBytes().orElse(0);
      if (i >= max) {
        other[0] += o.dying();
        other[1] += o.zombies();
        other[2] = io.cgwatch.model.Saturating.add(other[2], o.orphanedFileBytes());
        other[3] = io.cgwatch.model.Saturating.add(other[3], zombieFile);
        continue;
      }
      Owner.Key k = o.owner().key();
      f.get(MetricCatalog.OWNER_DYING).add(o.dying(), k.kind(), k.name(), k.namespace());
      f.get(MetricCatalog.OWNER_ZOMBIES).add(o.zombies(), k.kind(), k.name(), k.namespace());
      f.get(MetricCatalog.OWNER_ORPHANED_FILE).add(o.orphanedFileBytes(), k.kind(), k.name(), k.namespace());
      f.get(MetricCatalog.OWNER_ZOMBIE_FILE).add(zombieFile, k.kind(), k.name(), k.namespace());
    }
    f.get(MetricCatalog.OWNER_DYING).add(other[0], "other", "other", "");
    f.get(MetricCatalog.OWNER_ZOMBIES).add(other[1], "other", "other", "");
    f.get(MetricCatalog.OWNER_ORPHANED_FILE).add(other[2], "other", "other", "");
    f.get(MetricCatalog.OWNER_ZOMBIE_FILE).add(other[3], "other", "other", "");
  }

  /** The ancestor of {@code path} at {@code depth} ({@code /a/b/c} at 2 is {@code /a/b}). */
  static String truncate(String path, int depth) {
    if (depth == 0 || "/".equals(path)) {
      return "/";
    }
    int seen = 0;
    for (int i = 1; i < path.length(); i++) {
      if (path.charAt(i) == '/' && ++seen == depth) {
        return path.substring(0, i);
      }
    }
    return path;
  }

  private static ReapLag merge(ReapLag a, ReapLag b) {
    List<Long> counts = new ArrayList<>();
    for (int i = 0; i < a.cumulativeCounts().size(); i++) {
      counts.add(a.cumulativeCounts().get(i) + b.cumulativeCounts().get(i));
    }
    return new ReapLag(counts, a.count() + b.count(), a.sumSeconds() + b.sumSeconds());
  }

  /** One 0/1 sample per bound, so an alert can say which bound a hostile or huge tree hit. */
  private static void limits(Analysis a, int seriesDropped, Map<MetricCatalog, Family> f) {
    java.util.Set<io.cgwatch.model.ScanError.Kind> hit = java.util.EnumSet.noneOf(io.cgwatch.model.ScanError.Kind.class);
    a.snapshot().scan().errors().forEach(e -> hit.add(e.kind()));
    Family family = f.get(MetricCatalog.SCAN_LIMIT_REACHED);
    family.add(hit.contains(io.cgwatch.model.ScanError.Kind.LIMIT_CGROUPS) ? 1 : 0, "cgroups");
    family.add(hit.contains(io.cgwatch.model.ScanError.Kind.LIMIT_DEPTH) ? 1 : 0, "depth");
    family.add(hit.contains(io.cgwatch.model.ScanError.Kind.LIMIT_FILE_BYTES) ? 1 : 0, "file_bytes");
    family.add(seriesDropped > 0 ? 1 : 0, "series");
  }

  private static void self(SelfStats self, Map<MetricCatalog, Family> f) {
    new TreeMap<>(self.alertDeliveries()).forEach((result, n) -> f.get(MetricCatalog.ALERT_DELIVERIES)
        .add(n, result));
    f.get(MetricCatalog.SCAN_DURATION).histogram(self.scanDuration());
    f.get(MetricCatalog.SCANS).add(self.scansSucceeded(), "success").add(self.scansFailed(), "failure");
    f.get(MetricCatalog.SCAN_CGROUPS).add(self.lastScanCgroups());
    f.get(MetricCatalog.SCAN_VANISHED).add(self.vanishedTotal());
    ScanErrorSeries.of(self.errorsTotal(), self.fileReads().keySet()).forEach((file, kinds) -> kinds.forEach(
        (kind, n) -> f.get(MetricCatalog.SCAN_ERRORS).add(n, file, kind)));
    new TreeMap<>(self.fileReads()).forEach((file, h) -> f.get(MetricCatalog.FILE_READ_DURATION).histogram(h, file));
    self.rootMemoryStatSeconds().ifPresent(v -> f.get(MetricCatalog.ROOT_MEMORY_STAT_SECONDS).add(v));
    f.get(MetricCatalog.ROOT_MEMORY_STAT_THROTTLED).add(self.rootMemoryStatThrottled() ? 1 : 0);
    if (self.watch().enabled()) {
      f.get(MetricCatalog.WATCHES).add(self.watch().watches());
      f.get(MetricCatalog.WATCH_FALLBACK).add(self.watch().fallbackActive() ? 1 : 0);
      f.get(MetricCatalog.WATCH_FALLBACKS).add(self.watch().fallbacksTotal());
      self.watch().eventsTotal().forEach((kind, n) -> f.get(MetricCatalog.WATCH_EVENTS).add(n, kind));
    }
    f.get(MetricCatalog.SCAN_INTERVAL).add(self.intervalSeconds());
    self.lastSuccessEpochSeconds().ifPresent(t -> f.get(MetricCatalog.LAST_SUCCESS).add(t));
  }

  private static final class ParentAcc {
    long created;
    long removed;
    long recreated;
    long zombies;
    long zombieFile;
    double oldestSeconds;
    long leaks;
    ReapLag reapLag = ReapLag.EMPTY;
  }

  /** Parents and dying memcgs per cause: bounded by the causes, each with a sample so a rule can compare them. */
  private static void stillDying(Analysis a, Map<MetricCatalog, Family> f) {
    boolean v2 = a.snapshot().memoryHierarchy().map(h -> h.version() == 2).orElse(false);
    for (io.cgwatch.model.StillDying.Cause c : io.cgwatch.model.StillDying.Cause.values()) {
      List<io.cgwatch.model.StillDying.ParentCause> of = a.stillDying().parents().stream()
          .filter(p -> p.cause() == c).toList();
      f.get(MetricCatalog.STILL_DYING_PARENTS).add(of.size(), c.label());
      if (v2) {
        f.get(MetricCatalog.STILL_DYING_MEMORY_CGROUPS).add(of.stream().mapToLong(p -> p.dying().orElse(0)).sum(),
            c.label());
      }
    }
  }
}
