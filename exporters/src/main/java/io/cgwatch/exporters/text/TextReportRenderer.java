package io.cgwatch.exporters.text;

import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.DyingCount;
import io.cgwatch.model.DyingMethod;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostInfo;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.ScanError;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The text report of {@code cgwatch diagnose}: host line, dying memory cgroups, one row per hierarchy, the
 * subtrees with the most dying descendants, and what the scan cost. Renders only; every cgroup name goes
 * through {@link TerminalSafe}.
 */
public final class TextReportRenderer {
  static final int TOP_SUBTREES = 10;

  private TextReportRenderer() {}

  public static void render(HostSnapshot s, Writer out) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("cgwatch diagnose at ").append(s.takenAt()).append('\n');
    sb.append("host: ").append(hostLine(s)).append("\n\n");

    sb.append("dying memory cgroups: ").append(dyingLine(s.dyingMemoryCgroups(), memoryHierarchy(s))).append("\n\n");

    TextTable table = new TextTable("HIERARCHY", "VERSION", "MOUNT", "LIVE", "DYING", "COUNTED BY").rightAlign(3, 4);
    List<String> notes = new ArrayList<>();
    for (HierarchySnapshot h : s.hierarchies()) {
      table.row(TerminalSafe.escape(h.name()), "v" + h.version(), TerminalSafe.escape(mountLabel(h)),
          Long.toString(h.liveCgroups()), count(h.dying()), h.dying().method().map(DyingMethod::label)
              .orElse("unknown, see note"));
      h.dying().unknownReason().ifPresent(r -> notes.add(TerminalSafe.escape(h.name() + ": " + r)));
    }
    if (s.hierarchies().isEmpty()) {
      sb.append("no cgroup hierarchy is mounted\n");
    } else {
      table.render(sb, "");
      for (String note : notes) {
        sb.append("  note: ").append(note).append('\n');
      }
    }

    sb.append('\n');
    topSubtrees(s, sb);

    sb.append('\n').append(scanLine(s)).append('\n');
    for (ScanError e : s.scan().errors()) {
      sb.append("  ").append(TerminalSafe.escape(e.path()));
      if (!e.file().isEmpty()) {
        sb.append('/').append(TerminalSafe.escape(e.file()));
      }
      sb.append(": ").append(e.kind().label()).append(": ").append(TerminalSafe.escape(e.message())).append('\n');
    }
    out.write(sb.toString());
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

  private static Optional<HierarchySnapshot> memoryHierarchy(HostSnapshot s) {
    return s.hierarchies().stream().filter(h -> h.controllers().contains("memory"))
        .filter(h -> h.version() == 1).findFirst()
        .or(() -> s.hierarchies().stream().filter(h -> h.controllers().contains("memory")).findFirst());
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

  private static String mountLabel(HierarchySnapshot h) {
    return h.fullView() ? h.mountPoint() : h.mountPoint() + " (partial view)";
  }

  private static String count(DyingCount d) {
    return d.count().isPresent() ? Long.toString(d.count().getAsLong()) : "-";
  }

  private static void topSubtrees(HostSnapshot s, StringBuilder sb) {
    List<CgroupSnapshot> top = TopSubtrees.byDyingDescendants(s, TOP_SUBTREES);
    boolean anyV2 = s.hierarchies().stream().anyMatch(h -> h.version() == 2);
    boolean memoryOnV1 = memoryHierarchy(s).map(h -> h.version() == 1).orElse(false);
    sb.append("subtrees with the most dying descendants:\n");
    if (memoryOnV1) {
      sb.append("  (the memory controller is on cgroup v1, which counts dying cgroups only for a whole hierarchy;"
          + " below: v2 cgroups, all controllers)\n");
    }
    if (top.isEmpty()) {
      sb.append(anyV2 ? "  none: no cgroup below a v2 root has dying descendants\n"
          : "  unknown: per-subtree counts need cgroup v2\n");
      return;
    }
    TextTable table = new TextTable("DYING", "LIVE", "HIERARCHY", "CGROUP").rightAlign(0, 1);
    for (CgroupSnapshot c : top) {
      table.row(Long.toString(c.nrDyingDescendants().getAsLong()),
          c.nrDescendants().isPresent() ? Long.toString(c.nrDescendants().getAsLong()) : "-",
          TerminalSafe.escape(c.hierarchy()), TerminalSafe.escape(c.path()));
    }
    table.render(sb, "  ");
  }

  private static String scanLine(HostSnapshot s) {
    return "scan: " + s.scan().cgroupsRead() + " cgroups read in " + HumanUnits.duration(s.scan().duration())
        + ", " + s.scan().vanished() + " vanished while reading, " + s.scan().errors().size()
        + (s.scan().errors().size() == 1 ? " error" : " errors");
  }
}
