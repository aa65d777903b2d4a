package io.cgwatch.exporters.text;

import io.cgwatch.model.Analysis;
import io.cgwatch.model.StillDying;
import io.cgwatch.model.StillDying.DyingCost;
import io.cgwatch.model.StillDying.ParentCause;
import java.util.OptionalLong;

/** The report's "why still dying" section and the line on what the dying memcgs cost. Renders only. */
final class StillDyingText {
  private StillDyingText() {}

  /** How the dying memcgs' own kernel memory was counted: estimated, or capped by the kernel's measurement. */
  static String costLine(DyingCost c) {
    long bytes = c.dyingBytes().orElse(0);
    String how = DyingCost.MEMINFO_PERCPU.equals(c.method())
        ? "measured: Percpu " + TextReportRenderer.bytesOr(c.percpuMeasuredBytes()) + " over "
            + c.memcgs().orElse(0) + " memcgs is at most " + TextReportRenderer.bytesOr(c.perCpuMeasuredAtMostBytes())
            + " each, below the estimate of " + TextReportRenderer.bytesOr(c.perCpuEstimateBytes()) + "; + 10 KiB each"
        : "2 KiB x CPUs + 10 KiB each" + (c.perCpuMeasuredAtMostBytes().isPresent()
            ? "; the kernel's Percpu " + TextReportRenderer.bytesOr(c.percpuMeasuredBytes()) + " over "
                + c.memcgs().orElse(0) + " memcgs allows up to " + TextReportRenderer.bytesOr(
                c.perCpuMeasuredAtMostBytes()) + " each"
            : "");
    return "they hold about " + HumanUnits.bytes(bytes) + " of kernel memory themselves (" + how + ")";
  }

  static void render(Analysis a, StringBuilder sb, TextStyle style) {
    StillDying why = a.stillDying();
    if (why.parents().isEmpty()) {
      return;
    }
    sb.append(style.heading("why still dying (per parent: what no live child accounts for, an upper bound):"))
        .append('\n');
    TextTable table = new TextTable("DYING", "CAUSE", "FILE", "DIRTY", "WRITEBACK", "MAPPED/SHMEM", "KERNEL",
        "CGROUP").rightAlign(0, 2, 3, 4, 5, 6);
    for (ParentCause c : why.parents().stream().limit(TextReportRenderer.TOP).toList()) {
      table.row(count(c.dying()), c.cause().label(), TextReportRenderer.bytesOr(c.fileBytes()),
          TextReportRenderer.bytesOr(c.dirtyBytes()), TextReportRenderer.bytesOr(c.writebackBytes()),
          TextReportRenderer.bytesOr(c.mappedOrShmemBytes()), TextReportRenderer.bytesOr(c.kernelBytes()),
          TerminalSafe.escape(c.hierarchy() + ":" + c.path()));
    }
    table.render(sb, "  ", style.width());
    if (why.parents().stream().anyMatch(c -> c.dying().isEmpty())) {
      sb.append(style.wrap("(cgroup v1 counts dying memcgs only for the whole hierarchy: no count per parent)",
          "  ")).append('\n');
    }
    sb.append('\n');
  }

  private static String count(OptionalLong v) {
    return v.isPresent() ? Long.toString(v.getAsLong()) : "-";
  }
}
