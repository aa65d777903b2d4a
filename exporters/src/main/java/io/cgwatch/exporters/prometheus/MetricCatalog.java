package io.cgwatch.exporters.prometheus;

import io.prometheus.client.Collector;
import java.util.List;

/**
 * Every metric cgwatch exports: the metric contract. Names, types and labels are part of the product; HELP says
 * what each is and how it was counted. {@code docs/metrics.md} is generated from this list and a test keeps it
 * in step. Counter names are given without {@code _total}, as the exposition formats add it.
 */
public enum MetricCatalog {
  UP("cgwatch_up", Collector.Type.GAUGE, List.of(),
      "1 when the last successful scan is at most 3 intervals old; 0 before the first scan or when scans stopped succeeding (per-cgroup series are then dropped so Prometheus marks them stale)."),
  BUILD_INFO("cgwatch_build_info", Collector.Type.GAUGE, List.of("version"),
      "Always 1; the cgwatch version."),
  HOST_INFO("cgwatch_host_info", Collector.Type.GAUGE, List.of("kernel_release", "cgroup_mode"),
      "Always 1; the kernel release and cgroup mode (unified, hybrid, legacy, unavailable)."),
  HOST_CPUS("cgwatch_host_cpus", Collector.Type.GAUGE, List.of(),
      "Logical CPUs online on the host read."),
  HOST_MEMORY("cgwatch_host_memory_bytes", Collector.Type.GAUGE, List.of(),
      "RAM of the host read (MemTotal)."),
  HOST_PERCPU("cgwatch_host_percpu_bytes", Collector.Type.GAUGE, List.of(),
      "Per-CPU memory of the kernel (Percpu: in /proc/meminfo, 4.16+); every memory cgroup, live or dying, holds part of it."),
  CGROUPS("cgwatch_cgroups", Collector.Type.GAUGE, List.of("hierarchy", "state"),
      "Cgroups per hierarchy: state=live counts directories (root included); state=dying counts removed cgroups the kernel still keeps (v2: root nr_dying_descendants; v1: /proc/cgroups num_cgroups minus live). No dying sample where it cannot be known (named hierarchy, partial view)."),
  DYING_MEMORY("cgwatch_dying_memory_cgroups", Collector.Type.GAUGE, List.of("method"),
      "Dying memory cgroups on the host, from the best source: method=nr_dying_subsys_memory (v2, 6.11+), nr_dying_descendants (v2, all controllers) or proc_cgroups (v1, hierarchy-wide estimate)."),
  DYING_KERNEL_MEMORY("cgwatch_dying_memcg_kernel_memory_bytes", Collector.Type.GAUGE, List.of(),
      "Kernel memory held by the dying memory cgroups themselves: count x (per-CPU part + 10 KiB), the per-CPU part estimated at 2 KiB x CPUs, or Percpu / (live + dying memcgs) when the kernel's measurement is smaller."),
  STILL_DYING_PARENTS("cgwatch_still_dying_parents", Collector.Type.GAUGE, List.of("cause"),
      "Live parents with dying memory cgroups of their own (v1: with something left behind), by what pins them: dirty_page_cache (sync first), page_cache (reclaim), mapped_or_shmem (their mappers or tmpfs files), kernel_memory (before 5.15), nothing_charged (should free soon), unknown. Every cause has a sample."),
  STILL_DYING_MEMORY_CGROUPS("cgwatch_still_dying_memory_cgroups", Collector.Type.GAUGE, List.of("cause"),
      "Dying memory cgroups by the cause of their nearest live parent (v2 only: v1 has no count per parent). Every cause has a sample on v2."),
  MEMCG_IDS_IN_USE("cgwatch_memcg_ids_in_use", Collector.Type.GAUGE, List.of(),
      "Memory cgroup IDs in use (live memcgs; plus dying ones on kernels before 4.8, which keep their ID)."),
  MEMCG_ID_LIMIT("cgwatch_memcg_id_limit", Collector.Type.GAUGE, List.of(),
      "Memory cgroup ID limit (65535; 65534 before 6.1). mkdir of a cgroup fails with ENOSPC or EBUSY past it."),
  MEMCG_IDS_GROWTH("cgwatch_memcg_ids_growth_per_hour", Collector.Type.GAUGE, List.of(),
      "Robust (Theil-Sen) slope of cgwatch_memcg_ids_in_use over the last hour of scans, per hour. No sample until the scans span 15 minutes and number 6."),
  MEMCG_ID_EXHAUSTION("cgwatch_memcg_id_exhaustion_seconds", Collector.Type.GAUGE, List.of(),
      "Seconds until the memory cgroup IDs run out at that slope. Only while the rise is steady (both halves of the hour rise at least half as fast): no sample when flat, warming up or after a one-off burst of mkdir."),
  ORPHANED_FILE("cgwatch_orphaned_file_bytes", Collector.Type.GAUGE, List.of("hierarchy"),
      "Page cache that no live cgroup accounts for, summed over every parent of the hierarchy: an upper bound of what removed (dying) cgroups left behind."),
  CGROUP_DESCENDANTS("cgwatch_cgroup_descendants", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "Live descendant cgroups (v2 cgroup.stat nr_descendants)."),
  CGROUP_DYING_DESCENDANTS("cgwatch_cgroup_dying_descendants", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "Removed descendants the kernel still keeps (v2 cgroup.stat nr_dying_descendants)."),
  CGROUP_DYING_SUBSYS("cgwatch_cgroup_dying_subsys", Collector.Type.GAUGE, List.of("hierarchy", "cgroup", "controller"),
      "Dying controller states at and below the cgroup (v2 cgroup.stat nr_dying_subsys_<controller>, kernel 6.11+)."),
  CGROUP_POPULATED("cgwatch_cgroup_populated", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "1 when the cgroup or a descendant has processes (v2 cgroup.events populated; v1 leaves: non-empty cgroup.procs)."),
  CGROUP_MEMORY_USAGE("cgwatch_cgroup_memory_usage_bytes", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "Memory charged to the cgroup and its descendants, dying ones included (v2 memory.current; v1 memory.usage_in_bytes)."),
  CGROUP_MEMORY_ANON("cgwatch_cgroup_memory_anon_bytes", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "memory.stat anon (v1 total_rss)."),
  CGROUP_MEMORY_FILE("cgwatch_cgroup_memory_file_bytes", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "memory.stat file: page cache including tmpfs (v1 total_cache)."),
  CGROUP_MEMORY_FILE_MAPPED("cgwatch_cgroup_memory_file_mapped_bytes", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "memory.stat file_mapped (v1 total_mapped_file)."),
  CGROUP_MEMORY_FILE_DIRTY("cgwatch_cgroup_memory_file_dirty_bytes", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "memory.stat file_dirty (v1 total_dirty)."),
  CGROUP_MEMORY_SHMEM("cgwatch_cgroup_memory_shmem_bytes", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "memory.stat shmem (v1 total_shmem)."),
  CGROUP_MEMORY_KERNEL("cgwatch_cgroup_memory_kernel_bytes", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "memory.stat kernel (v2, 6.1+)."),
  CGROUP_MEMORY_SLAB("cgwatch_cgroup_memory_slab_bytes", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "memory.stat slab (v2)."),
  CGROUP_MEMORY_PERCPU("cgwatch_cgroup_memory_percpu_bytes", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "memory.stat percpu (v2, 5.9+); grows with the number of child memcgs, dying ones included."),
  CGROUP_MEMORY_SOCK("cgwatch_cgroup_memory_sock_bytes", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "memory.stat sock (v2)."),
  CGROUP_MEMORY_LIMIT("cgwatch_cgroup_memory_limit_bytes", Collector.Type.GAUGE, List.of("hierarchy", "cgroup", "limit"),
      "memory.min, memory.low, memory.high and memory.max (v1 memory.limit_in_bytes as limit=max). No sample when unlimited."),
  CGROUP_MEMORY_EVENTS("cgwatch_cgroup_memory_events", Collector.Type.COUNTER, List.of("hierarchy", "cgroup", "event"),
      "memory.events of the cgroup and its descendants (low, high, max, oom, oom_kill, ...)."),
  CGROUP_PRESSURE("cgwatch_cgroup_pressure_seconds", Collector.Type.COUNTER, List.of("hierarchy", "cgroup", "resource", "kind"),
      "PSI stall time (resource=memory|cpu|io, kind=some|full) from the *.pressure total field."),
  CGROUP_ORPHANED_USAGE("cgwatch_cgroup_orphaned_usage_bytes", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "v2: memory.current minus the live children's, an upper bound of what dying children left (includes the cgroup's own charges)."),
  CGROUP_ORPHANED_FILE("cgwatch_cgroup_orphaned_file_bytes", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "Page cache no live child accounts for: v2 file minus the live children's (upper bound); v1 total_cache - cache - children's total_cache."),
  CGROUP_ORPHANED_FILE_MAPPED("cgwatch_cgroup_orphaned_file_mapped_bytes", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "Like cgwatch_cgroup_orphaned_file_bytes, for file_mapped (v1 mapped_file)."),
  CGROUP_ORPHANED_SHMEM("cgwatch_cgroup_orphaned_shmem_bytes", Collector.Type.GAUGE, List.of("hierarchy", "cgroup"),
      "Like cgwatch_cgroup_orphaned_file_bytes, for shmem."),
  CREATED("cgwatch_cgroups_created", Collector.Type.COUNTER, List.of("hierarchy", "parent"),
      "Cgroups created below parent since cgwatch started (parent: the ancestor at --max-depth)."),
  REMOVED("cgwatch_cgroups_removed", Collector.Type.COUNTER, List.of("hierarchy", "parent"),
      "Cgroups removed below parent since cgwatch started."),
  RECREATED("cgwatch_cgroups_recreated", Collector.Type.COUNTER, List.of("hierarchy", "parent"),
      "Cgroups removed and created again at the same path (new inode) below parent."),
  ZOMBIES("cgwatch_zombie_cgroups", Collector.Type.GAUGE, List.of("hierarchy", "parent"),
      "Removed cgroups that cgwatch saw alive and the kernel still counts as dying, below parent (smallest page cache taken as freed first when the count falls). v1 has only a hierarchy-wide count: there these are candidates, never one that held no charge, and a fall of the count frees them before the dying of unknown origin."),
  ZOMBIE_OLDEST_AGE("cgwatch_zombie_oldest_age_seconds", Collector.Type.GAUGE, List.of("hierarchy", "parent"),
      "Age of the oldest zombie below parent."),
  ZOMBIE_FILE("cgwatch_zombie_charged_file_bytes", Collector.Type.GAUGE, List.of("hierarchy", "parent"),
      "Page cache the zombies below parent held when they were removed."),
  ZOMBIE_REAP_LAG("cgwatch_zombie_reap_lag_seconds", Collector.Type.HISTOGRAM, List.of("hierarchy", "parent"),
      "How long removed cgroups below parent took to stop being counted as dying (measured at the scan that saw the count fall)."),
  EMPTY_CGROUPS("cgwatch_empty_cgroups", Collector.Type.GAUGE, List.of("hierarchy", "parent"),
      "Visible leaks below parent: cgroups with no processes and no children, idle for at least the leak threshold."),
  OWNER_DYING("cgwatch_owner_dying_cgroups", Collector.Type.GAUGE, List.of("kind", "name", "namespace"),
      "Dying memory cgroups per owner (docs/owners.md: pod, qos, container, machine, service, scope, slice, root, unknown), derived from cgroup paths. v2: each live parent's own share of nr_dying_descendants, named zombies given to the owner of their former path; v1: the zombie candidates only. The top owners by this count (serve --max-owners, default 20) get series; kind=\"other\" sums the rest."),
  OWNER_ZOMBIES("cgwatch_owner_zombie_cgroups", Collector.Type.GAUGE, List.of("kind", "name", "namespace"),
      "Removed cgroups cgwatch saw alive that are still dying, per owner of their former path (same owners and other bucket as cgwatch_owner_dying_cgroups)."),
  OWNER_ORPHANED_FILE("cgwatch_owner_orphaned_file_bytes", Collector.Type.GAUGE, List.of("kind", "name", "namespace"),
      "Page cache no live cgroup accounts for, summed over the parents each owner's paths resolve to (an upper bound, like cgwatch_cgroup_orphaned_file_bytes)."),
  OWNER_ZOMBIE_FILE("cgwatch_owner_zombie_charged_file_bytes", Collector.Type.GAUGE, List.of("kind", "name", "namespace"),
      "Page cache the owner's zombies held when they were removed."),
  ALERT("cgwatch_alert", Collector.Type.GAUGE, List.of("alertname", "severity", "alertstate", "hierarchy", "cgroup"),
      "Built-in alerts that are pending or firing (1 per alert, like Prometheus' ALERTS); rules and defaults in README."),
  ALERT_DELIVERIES("cgwatch_alert_deliveries", Collector.Type.COUNTER, List.of("result"),
      "Batches of alerts sent to Alertmanager, by result: success (accepted), failure (not accepted after retries), dropped (superseded by a newer batch before it could be sent)."),
  SCAN_DURATION("cgwatch_scan_duration_seconds", Collector.Type.HISTOGRAM, List.of(),
      "Wall time of each scan of the cgroup hierarchies."),
  SCANS("cgwatch_scans", Collector.Type.COUNTER, List.of("result"),
      "Scans run, by result (success, failure)."),
  SCAN_CGROUPS("cgwatch_scan_cgroups", Collector.Type.GAUGE, List.of(),
      "Cgroups read by the last scan."),
  SCAN_VANISHED("cgwatch_scan_vanished", Collector.Type.COUNTER, List.of(),
      "Cgroups removed while a scan was reading them (normal on a busy host)."),
  SCAN_ERRORS("cgwatch_scan_errors", Collector.Type.COUNTER, List.of("file", "kind"),
      "Files that could not be used (kind=malformed, permission_denied, io_error; limit_file_bytes, limit_cgroups, limit_depth when a bound against hostile trees was hit; not_regular_file for a FIFO, device, socket, directory or symlink named like a control file; outside_root for a mount point that leads outside its root; timeout for a read abandoned at the scan deadline, file (scan) when unknown), by file name (file=(directory) for a directory). Starts at 0 for every kind of every file read so far."),
  FILE_READ_DURATION("cgwatch_file_read_duration_seconds", Collector.Type.HISTOGRAM, List.of("file"),
      "Time to read one control file, by file name; a slow root memory.stat is the earliest symptom of dying-cgroup pile-up. Buckets 1ms, 10ms, 100ms, 1s (serve --full-read-latency: 17 from 100us to 10s)."),
  ROOT_MEMORY_STAT_SECONDS("cgwatch_root_memory_stat_read_seconds", Collector.Type.GAUGE, List.of(),
      "Seconds the last read of the root memory.stat took (v1 or v2): it slows from milliseconds to seconds as dying cgroups pile up."),
  ROOT_MEMORY_STAT_THROTTLED("cgwatch_root_memory_stat_throttled", Collector.Type.GAUGE, List.of(),
      "1 while the root memory.stat is read only every 10th scan because its last read exceeded the budget."),
  WATCHES("cgwatch_watches", Collector.Type.GAUGE, List.of(),
      "Cgroup directories watched with inotify (one watch each) to see births, populated 0 and removals between scans; 0 after a fallback. Only while a watcher runs (serve, diagnose --samples; not with --no-watch)."),
  WATCH_FALLBACK("cgwatch_watch_fallback", Collector.Type.GAUGE, List.of(),
      "1 while the watcher has fallen back to polling only (inotify queue overflow, watch limit, a full event queue, the watcher thread died): cgroups that live less than one interval are then only counted, not named."),
  WATCH_FALLBACKS("cgwatch_watch_fallbacks", Collector.Type.COUNTER, List.of(),
      "Times the watcher fell back to polling only."),
  WATCH_EVENTS("cgwatch_watch_events", Collector.Type.COUNTER, List.of("kind"),
      "Events the watcher saw, by kind: created (mkdir), unpopulated (cgroup.events populated 0, v2), removed (rmdir)."),
  SCAN_INTERVAL("cgwatch_scan_interval_seconds", Collector.Type.GAUGE, List.of(),
      "The configured time between scans (--interval); series are dropped after 3 intervals without a successful scan."),
  LAST_SUCCESS("cgwatch_last_scan_success_timestamp_seconds", Collector.Type.GAUGE, List.of(),
      "Unix time the last successful scan finished."),
  SERIES_DROPPED("cgwatch_series_dropped", Collector.Type.GAUGE, List.of(),
      "Cgroups matching the filters whose per-cgroup series were not exported because of --max-cgroups (those with the fewest dying descendants and orphaned bytes)."),
  SCAN_LIMIT_REACHED("cgwatch_scan_limit_reached", Collector.Type.GAUGE, List.of("limit"),
      "1 when the last scan hit a bound against hostile trees, else 0: limit=cgroups (more than 250,000 directories: the rest not walked), depth (directories deeper than 256 levels not walked), file_bytes (a file over 1 MiB not read), series (per-cgroup series left out by --max-cgroups).");

  private final String metricName;
  private final Collector.Type type;
  private final List<String> labels;
  private final String help;

  MetricCatalog(String metricName, Collector.Type type, List<String> labels, String help) {
    this.metricName = metricName;
    this.type = type;
    this.labels = labels;
    this.help = help;
  }

  public String metricName() {
    return metricName;
  }

  public Collector.Type type() {
    return type;
  }

  public List<String> labels() {
    return labels;
  }

  public String help() {
    return help;
  }

  /** The name as scraped: counters end in {@code _total}. */
  public String exposedName() {
    return type == Collector.Type.COUNTER ? metricName + "_total" : metricName;
  }
}
