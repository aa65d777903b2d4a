package io.cgwatch.exporters.text;

import io.cgwatch.model.Analysis;
import io.cgwatch.model.StillDying;
import io.cgwatch.model.StillDying.DyingCost;
import io.cgwatch.model.StillDying.ParentCause;

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
    sb.append(style.heading("why still dying, per parent:")).append('\n');
    sb.append(style.wrap("(what no live child accounts for, an upper bound; the cause picks the advice below)",
        "  ")).append('\n');
    for (ParentCause c : why.parents().stream().limit(TextReportRenderer.TOP).toList()) {
      sb.append(style.wrap(TerminalSafe.escape(c.hierarchy() + ":" + c.path()) + ": "
          + c.dying().stream().mapToObj(n -> n + " dying, ").findFirst().orElse("") + c.cause().label()
          + " (file " + TextReportRenderer.bytesOr(c.fileBytes()) + ", dirty " + TextReportRenderer.bytesOr(
              c.dirtyBytes()) + ", writeback " + TextReportRenderer.bytesOr(c.writebackBytes()) + ", mapped or shmem "
          + TextReportRenderer.bytesOr(c.mappedOrShmemBytes()) + ", kernel " + TextReportRenderer.bytesOr(
              c.kernelBytes()) + ")", "  ")).append('\n');
    }
    if (why.parents().stream().anyMatch(c -> c.dying().isEmpty())) {
      sb.append(style.wrap("(cgroup v1 counts dying memcgs only for the whole hierarchy: no count per parent)",
          "  ")).append('\n');
    }
    sb.append('\n');
  }

}
