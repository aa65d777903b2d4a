package io.cgwatch.exporters.text;

import io.cgwatch.model.Owner;
import io.cgwatch.model.OwnerReport;
import io.cgwatch.model.OwnerRollup;

/** The "by owner" part of the text report: who left the dying cgroups and the page cache (docs/owners.md). */
final class OwnerText {
  private OwnerText() {}

  static void render(OwnerReport r, StringBuilder sb, TextStyle style) {
    sb.append(style.heading("by owner:")).append('\n');
    String how = switch (r.dyingAttribution()) {
      case "per_parent" -> "dying: each live parent's own share of nr_dying_descendants, named zombies to the owner"
          + " of their former path";
      case "candidates" -> "dying: v1 counts only per hierarchy, so only the zombie candidates are attributed; "
          + r.unattributedDying() + " dying not attributed";
      default -> r.unattributedDying() > 0 ? "dying: not attributed (v1 needs two samples, --samples 2); "
          + r.unattributedDying() + " dying on the hierarchy" : "dying: nothing to attribute";
    };
    sb.append(style.wrap("(" + how + "; page cache: orphaned now, and the zombies' when removed; pods named by"
        + " /var/log/pods: " + r.podLogDirs() + ")", "  ")).append('\n');
    if (r.owners().isEmpty()) {
      sb.append("  none: no owner has dying cgroups or page cache left behind\n");
      return;
    }
    // ORPHANED: page cache no live child holds; AT DEATH: the zombies' page cache when removed
    TextTable table = new TextTable("DYING", "ZOMBIES", "ORPHANED", "AT DEATH", "OWNER").rightAlign(0, 1, 2, 3);
    r.owners().stream().limit(TextReportRenderer.TOP).forEach(o -> table.row(Long.toString(o.dying()),
        Long.toString(o.zombies()), HumanUnits.bytes(o.orphanedFileBytes()),
        TextReportRenderer.bytesOr(o.chargesAtDeath().fileBytes()),
        o.owner().kind().label() + " " + TerminalSafe.escape(display(o.owner()))));
    table.render(sb, "  ", style.width());
    if (r.owners().size() > TextReportRenderer.TOP) {
      long dying = r.owners().stream().skip(TextReportRenderer.TOP).mapToLong(OwnerRollup::dying).sum();
      sb.append("  and ").append(r.owners().size() - TextReportRenderer.TOP).append(" more owners with ")
          .append(dying).append(" dying (--json lists them all)\n");
    }
  }

  /** {@code shop/cart-7d9f (burstable)}, {@code 4f1b2c3d4e5f (docker)}, {@code cron.service}. */
  static String display(Owner o) {
    return switch (o.kind()) {
      case POD -> o.namespace().map(ns -> ns + "/").orElse("UID ") + o.name()
          + o.qos().map(q -> " (" + q + ")").orElse("");
      case CONTAINER -> o.name() + o.runtime().map(rt -> " (" + rt + ")").orElse("");
      default -> o.name();
    };
  }
}
