package io.cgwatch.exporters.text;

import io.cgwatch.model.Analysis;
import io.cgwatch.model.Capabilities;
import io.cgwatch.model.CgroupRef;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.Charges;
import io.cgwatch.model.DyingCount;
import io.cgwatch.model.DyingMethod;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostInfo;
import io.cgwatch.model.HostOrphaned;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.MemcgIds;
import io.cgwatch.model.OrphanedMemory;
import io.cgwatch.model.ScanError;
import io.cgwatch.model.VisibleLeak;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The text report of {@code cgwatch diagnose}: host and capabilities, dying memory cgroups and what they cost,
 * one row per hierarchy, the worst subtrees, page cache left behind, who left it (by owner), visible leaks,
 * lifecycle (with several samples), and what the scan cost. Renders only; every cgroup name goes through {@link TerminalSafe}.
 */
public final class TextReportRenderer {
  static final int TOP = 10;

  private TextReportRenderer() {}

  public static void render(Analysis a, Writer out) throws IOException {
    render(a, out, TextStyle.PLAIN);
  }

  public static void render(Analysis a, Writer out, TextStyle style) throws IOException {
    HostSnapshot s = a.snapshot();
    StringBuilder sb = new StringBuilder();
    sb.append(verdictLine(a, style)).append('\n');
    sb.append("cgwatch diagnose at ").append(s.takenAt()).append('\n');
    sb.append(style.wrap("host: " + hostLine(s), "")).append('\n');
    sb.append(style.wrap("capabilities: " + capabilitiesLine(s.capabilities()), "")).append('\n');
    for (Capabilities.Decision d : s.capabilities().decisions()) {
      sb.append(style.wrap(d.name() + " " + d.value() + " (" + d.source().replace('_', ' ') + "): "
          + TerminalSafe.escape(d.because()), "  ")).append('\n');
    }
    sb.append('\n');

    sb.append(style.wrap("dying memory cgroups: " + dyingLine(s.dyingMemoryCgroups(), s.memoryHierarchy()), ""))
        .append('\n');
    if (a.hostOrphaned().dyingKernelMemoryBytes().orElse(0) > 0) {
      sb.append(style.wrap(StillDyingText.costLine(a.stillDying().cost()), "  ")).append('\n');
    }
    if (s.capabilities().reparentsPageCache().orElse(false)) {
      sb.append("  kernel 7.1+ moves a removed cgroup's page cache to its parent, so few dying cgroups are expected;"
          + " what they left shows as orphaned page cache below\n");
    }
    sb.append(style.wrap("page cache left behind: " + orphanedLine(a.hostOrphaned()), "")).append('\n');
    a.memcgIds().ifPresent(ids -> sb.append(style.wrap("memcg IDs: " + idsLine(ids), "")).append('\n'));
    sb.append('\n');

    alerts(a, sb, style);
    hierarchies(s, sb, style);
    sb.append('\n');
    Map<CgroupRef, OrphanedMemory> orphaned = new HashMap<>();
    a.orphaned().forEach(o -> orphaned.put(CgroupRef.of(o), o));
    topSubtrees(s, orphaned, sb, style);
    sb.append('\n');
    orphanedParents(a, sb, style);
    sb.append('\n');
    StillDyingText.render(a, sb, style);
    OwnerText.render(a.owners(), sb, style);
    sb.append('\n');
    visibleLeaks(a.visibleLeaks(), a.visibleLeakThreshold(), sb, style);
    a.lifecycle().ifPresent(l -> LifecycleText.render(l, sb.append('\n'), style));
    List<String> advice = Remedies.forReport(a);
    if (!advice.isEmpty()) {
      sb.append('\n').append(style.heading("what to do (kernel " + s.host().kernelRelease().map(TerminalSafe::escape)
          .orElse("unknown") + ", " + s.mode().label() + " mode):")).append('\n');
      for (String step : advice) {
        sb.append(style.wrap("- " + step, "  ")).append('\n');
      }
    }

    sb.append('\n').append(style.wrap(scanLine(s), "")).append('\n');
    for (ScanError e : s.scan().errors()) {
      sb.append("  ").append(TerminalSafe.escape(e.path()));
      if (!e.file().isEmpty()) {
        sb.append('/').append(TerminalSafe.escape(e.file()));
      }
      sb.append(": ").append(e.kind().label()).append(": ").append(TerminalSafe.escape(e.message())).append('\n');
    }
    out.write(sb.toString());
  }

  /** The first line: the verdict and why, in one sentence. */
  static String verdictLine(Analysis a, TextStyle style) {
    String verdict = style.verdict(a.verdict());
    List<io.cgwatch.model.AlertStatus> firing = a.alerts().stream().filter(io.cgwatch.model.AlertStatus::firing)
        .sorted(Comparator.comparing((io.cgwatch.model.AlertStatus x) -> !"critical".equals(x.severity())))
        .toList();
    if (firing.isEmpty()) {
      return verdict + ": " + ("unknown".equals(a.verdict()) ? "no cgroup hierarchy could be read"
          : "no alert fires (" + a.snapshot().dyingMemoryCgroups().count().stream().mapToObj(n -> n
              + " dying memory cgroups").findFirst().orElse("dying memory cgroups unknown") + ")");
    }
    io.cgwatch.model.AlertStatus first = firing.get(0);
    return verdict + ": " + first.name() + " - " + TerminalSafe.escape(first.summary())
        + (firing.size() > 1 ? " (and " + (firing.size() - 1) + " more)" : "");
  }

  private static void alerts(Analysis a, StringBuilder sb, TextStyle style) {
    if (a.alerts().isEmpty()) {
      return;
    }
    sb.append(style.heading("alerts:")).append('\n');
    for (io.cgwatch.model.AlertStatus al : a.alerts()) {
      sb.append("  ").append(al.state().toUpperCase(java.util.Locale.ROOT)).append(' ').append(al.severity())
          .append(' ').append(al.name()).append(" at ").append(TerminalSafe.escape(al.hierarchy()))
          .append(al.hierarchy().isEmpty() ? "" : ":").append(TerminalSafe.escape(al.cgroup())).append(": ")
          .append(TerminalSafe.escape(al.summary())).append('\n');
      sb.append(style.wrap(TerminalSafe.escape(al.description()), "    ")).append('\n');
    }
    sb.append('\n');
  }

  private static String hostLine(HostSnapshot s) {
    HostInfo h = s.host();
    List<String> parts = new ArrayList<>();
    parts.add("kernel " + h.kernelRelease().map(TerminalSafe::escape).orElse("unknown"));
    parts.add("cgroup mode " + s.mode().label());
    parts.add(h.cpus().isPresent() ? h.cpus().getAsInt() + " CPUs" : "CPUs unknown");
    parts.add(h.memoryTotalBytes().isPresent() ? HumanUnits.bytes(h.memoryTotalBytes().getAsLong()) + " RAM"
        : "RAM unknown");
    return String.join(", ", parts);
  }

  private static String capabilitiesLine(Capabilities c) {
    List<String> parts = new ArrayList<>();
    parts.add("nr_dying_subsys " + yesNo(c.nrDyingSubsys()));
    parts.add("PSI " + yesNo(c.psi()));
    parts.add("memory.peak " + yesNo(c.memoryPeak()));
    parts.add("memory.reclaim " + yesNo(c.memoryReclaim()));
    parts.add("memory.events.local " + yesNo(c.memoryEventsLocal()));
    parts.add("full view " + yesNo(c.fullView()));
    parts.add("page cache reparented at removal " + c.reparentsPageCache().map(TextReportRenderer::yesNo)
        .orElse("unknown"));
    parts.add("dying memcgs keep IDs " + c.dyingKeepMemcgIds().map(TextReportRenderer::yesNo).orElse("unknown"));
    if (!c.kernelCgroupParameters().isEmpty()) {
      parts.add("kernel command line " + TerminalSafe.escape(String.join(" ", c.kernelCgroupParameters())));
    }
    return String.join(", ", parts);
  }

  private static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }

  private static String dyingLine(DyingCount d, Optional<HierarchySnapshot> memory) {
    if (d.count().isEmpty()) {
      return "unknown (" + TerminalSafe.escape(d.unknownReason().orElse("no source")) + ")";
    }
    String where = memory.map(h -> " on v" + h.version() + " at " + TerminalSafe.escape(h.mountPoint())).orElse("");
    return d.count().getAsLong() + " (" + d.method().map(TextReportRenderer::explain).orElse("") + where + ")";
  }

  private static String explain(DyingMethod m) {
    return switch (m) {
      case NR_DYING_SUBSYS_MEMORY -> "nr_dying_subsys_memory in the root cgroup.stat";
      case NR_DYING_DESCENDANTS -> "nr_dying_descendants in the root cgroup.stat, all controllers";
      case PROC_CGROUPS -> "/proc/cgroups num_cgroups minus the directories walked";
    };
  }

  private static String orphanedLine(HostOrphaned h) {
    Charges b = h.bytes();
    if (h.parents() == 0 || b.fileBytes().isEmpty()) {
      return "no estimate (no parent with the memory controller and every child read)";
    }
    return HumanUnits.bytes(b.fileBytes().getAsLong()) + " of page cache (" + bytesOr(b.fileMappedBytes())
        + " mapped, " + bytesOr(b.shmemBytes()) + " shmem) under " + h.parents()
        + (h.parents() == 1 ? " parent" : " parents") + " that no live child accounts for (an upper bound)";
  }

  private static String idsLine(MemcgIds ids) {
    StringBuilder sb = new StringBuilder().append(ids.inUse()).append(" of ").append(ids.limit()).append(" in use (")
        .append(ids.rule().equals("live") ? "live memcgs; dying ones release their ID" : "live and dying memcgs")
        .append(", counted from ").append(ids.source()).append(')');
    if (ids.growthPerHour().isPresent()) {
      sb.append(String.format(java.util.Locale.ROOT, ", %+.1f per hour", ids.growthPerHour().getAsDouble()));
    }
    ids.exhaustionEtaSeconds().ifPresent(eta -> sb.append(", exhausted in about ")
        .append(HumanUnits.age(Duration.ofSeconds((long) eta))));
    // Say why there is no ETA when a reader might expect one: the alert ignores an unsteady rise on purpose.
    if (ids.forecast().equals("unsteady")) {
      sb.append(" (a burst, not a steady rise: no forecast)");
    }
    return sb.toString();
  }

  private static void hierarchies(HostSnapshot s, StringBuilder sb, TextStyle style) {
    if (s.hierarchies().isEmpty()) {
      sb.append("no cgroup hierarchy is mounted\n");
      return;
    }
    TextTable table = new TextTable("HIERARCHY", "VERSION", "MOUNT", "LIVE", "DYING", "COUNTED BY").rightAlign(3, 4);
    List<String> notes = new ArrayList<>();
    for (HierarchySnapshot h : s.hierarchies()) {
      table.row(TerminalSafe.escape(h.name()), "v" + h.version(),
          TerminalSafe.escape(h.fullView() ? h.mountPoint() : h.mountPoint() + " (partial view)"),
          Long.toString(h.liveCgroups()), count(h.dying()), h.dying().method().map(DyingMethod::label)
              .orElse("unknown, see note"));
      h.dying().unknownReason().ifPresent(r -> notes.add(TerminalSafe.escape(h.name() + ": " + r)));
    }
    table.render(sb, "", style.width());
    for (String note : notes) {
      sb.append(style.wrap("note: " + note, "  ")).append('\n');
    }
  }

  private static String count(DyingCount d) {
    return d.count().isPresent() ? Long.toString(d.count().getAsLong()) : "-";
  }

  /** The cgroups with the most dying descendants, shown with their ancestors as an indented tree. */
  private static void topSubtrees(HostSnapshot s, Map<CgroupRef, OrphanedMemory> orphaned, StringBuilder sb,
      TextStyle style) {
    List<CgroupSnapshot> top = TopSubtrees.byDyingDescendants(s, TOP);
    boolean anyV2 = s.hierarchies().stream().anyMatch(h -> h.version() == 2);
    boolean memoryOnV1 = s.memoryHierarchy().map(h -> h.version() == 1).orElse(false);
    sb.append(style.heading("subtrees with the most dying descendants:")).append('\n');
    if (memoryOnV1) {
      sb.append(style.wrap("(the memory controller is on cgroup v1, which counts dying cgroups only for a whole "
          + "hierarchy; below: v2 cgroups, all controllers)", "  ")).append('\n');
    }
    if (top.isEmpty()) {
      sb.append(anyV2 ? "  none: no cgroup below a v2 root has dying descendants\n"
          : "  unknown: per-subtree counts need cgroup v2\n");
      return;
    }
    java.util.Set<CgroupRef> shown = new java.util.HashSet<>();
    for (CgroupSnapshot c : top) {
      for (String p = c.path(); p != null; p = io.cgwatch.model.CgroupPaths.parent(p)) {
        shown.add(new CgroupRef(c.hierarchy(), p));
      }
    }
    TextTable table = new TextTable("DYING", "LIVE", "ORPHANED FILE", "CGROUP").rightAlign(0, 1, 2);
    for (CgroupSnapshot c : s.cgroups()) {
      if (!shown.contains(CgroupRef.of(c))) {
        continue;
      }
      OrphanedMemory o = orphaned.get(CgroupRef.of(c));
      String name = c.depth() == 0 ? c.hierarchy() + ":/"
          : "  ".repeat(c.depth()) + c.path().substring(c.path().lastIndexOf('/') + 1);
      table.row(c.nrDyingDescendants().isPresent() ? Long.toString(c.nrDyingDescendants().getAsLong()) : "-",
          c.nrDescendants().isPresent() ? Long.toString(c.nrDescendants().getAsLong()) : "-",
          o == null ? "-" : bytesOr(o.bytes().fileBytes()), TerminalSafe.escape(name));
    }
    table.render(sb, "  ", style.width());
  }

  private static void orphanedParents(Analysis a, StringBuilder sb, TextStyle style) {
    List<OrphanedMemory> top = a.orphaned().stream().filter(o -> o.bytes().fileBytes().orElse(0) > 0)
        .sorted(Comparator.comparingLong((OrphanedMemory o) -> o.bytes().fileBytes().getAsLong()).reversed())
        .limit(TOP).toList();
    sb.append(style.heading("parents holding page cache that no live child accounts for:")).append('\n');
    if (top.isEmpty()) {
      sb.append("  none\n");
      return;
    }
    TextTable table = new TextTable("FILE", "MAPPED", "SHMEM", "USAGE", "HIERARCHY", "CGROUP")
        .rightAlign(0, 1, 2, 3);
    for (OrphanedMemory o : top) {
      table.row(bytesOr(o.bytes().fileBytes()), bytesOr(o.bytes().fileMappedBytes()),
          bytesOr(o.bytes().shmemBytes()), bytesOr(o.bytes().usageBytes()), TerminalSafe.escape(o.hierarchy()),
          TerminalSafe.escape(o.path()));
    }
    table.render(sb, "  ", style.width());
    int clamped = a.orphaned().stream().mapToInt(OrphanedMemory::clampedNegatives).sum();
    if (clamped > 0) {
      sb.append("  (").append(clamped).append(" differences came out negative from racing reads and count as 0)\n");
    }
  }

  private static void visibleLeaks(List<VisibleLeak> leaks, Duration threshold, StringBuilder sb, TextStyle style) {
    sb.append(style.wrap("visible leaks (no processes, no children, idle for " + HumanUnits.age(threshold)
        + " or more; remove them with rmdir): " + leaks.size(), "")).append('\n');
    if (leaks.isEmpty()) {
      return;
    }
    Map<String, Long> perParent = new java.util.TreeMap<>();
    leaks.forEach(l -> perParent.merge(TerminalSafe.escape(l.hierarchy() + ":"
        + Optional.ofNullable(io.cgwatch.model.CgroupPaths.parent(l.path())).orElse("/")), 1L, Long::sum));
    sb.append("  per parent: ");
    sb.append(String.join(", ", perParent.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(TOP)
        .map(e -> e.getKey() + " " + e.getValue()).toList())).append('\n');
    TextTable table = new TextTable("IDLE", "HIERARCHY", "CGROUP").rightAlign(0);
    leaks.stream().sorted(Comparator.comparing(VisibleLeak::idle).reversed()).limit(TOP)
        .forEach(l -> table.row(HumanUnits.age(l.idle()), TerminalSafe.escape(l.hierarchy()),
            TerminalSafe.escape(l.path())));
    table.render(sb, "  ", style.width());
  }

  static String bytesOr(OptionalLong v) {
    return v.isPresent() ? HumanUnits.bytes(v.getAsLong()) : "-";
  }


  private static String scanLine(HostSnapshot s) {
    return "scan: " + s.scan().cgroupsRead() + " cgroups read in " + HumanUnits.duration(s.scan().duration())
        + ", " + s.scan().vanished() + " vanished while reading, " + s.scan().errors().size()
        + (s.scan().errors().size() == 1 ? " error" : " errors");
  }
}
