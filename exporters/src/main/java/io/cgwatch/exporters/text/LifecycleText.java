package io.cgwatch.exporters.text;

import io.cgwatch.model.LifecycleView;
import io.cgwatch.model.ParentLifecycle;
import io.cgwatch.model.Zombie;
import io.cgwatch.model.ZombieBound;
import java.util.Comparator;
import java.util.List;

/** The lifecycle part of the text report (present with two samples or more). */
final class LifecycleText {
  private LifecycleText() {}

  static void render(LifecycleView v, StringBuilder sb, TextStyle style) {
    sb.append("lifecycle over ").append(v.observations()).append(" samples since ").append(v.since())
        .append(": created ").append(v.created()).append(", removed ").append(v.removed()).append(", recreated ")
        .append(v.recreated()).append('\n');
    sb.append("zombies (removed while watched, still dying): ").append(v.zombies().size());
    if (v.unknownOriginDying() > 0) {
      sb.append(", plus ").append(v.unknownOriginDying()).append(" dying of unknown origin (removed before cgwatch"
          + " watched)");
    }
    sb.append('\n');
    if (!v.zombies().isEmpty()) {
      TextTable table = new TextTable("AGE", "FILE AT DEATH", "USAGE AT DEATH", "HIERARCHY", "CGROUP")
          .rightAlign(0, 1, 2);
      v.zombies().stream().sorted(Comparator.comparing(Zombie::age).reversed()).limit(TextReportRenderer.TOP)
          .forEach(z -> table.row(HumanUnits.age(z.age()), TextReportRenderer.bytesOr(z.chargesAtDeath().fileBytes()),
              TextReportRenderer.bytesOr(z.chargesAtDeath().usageBytes()), TerminalSafe.escape(z.hierarchy()),
              TerminalSafe.escape(z.path())));
      table.render(sb, "  ", style.width());
    }
    for (ZombieBound b : v.bounds()) {
      // v1 names candidates, not findings: say how many can be dying and why the rest are not named.
      sb.append("  ").append(TerminalSafe.escape(b.hierarchy())).append(" (v1 counts dying cgroups only per"
          + " hierarchy): at most ").append(b.atMost()).append(" of the ").append(b.listed())
          .append(" listed are among its ").append(b.kernelDying()).append(" dying; ").append(b.unknownOrigin())
          .append(" of unknown origin");
      if (b.removedEmpty() > 0) {
        sb.append("; ").append(b.removedEmpty()).append(" removed empty (no charge), not zombies");
      }
      sb.append('\n');
    }
    List<ParentLifecycle> busy = v.parents().stream().filter(p -> p.created() + p.removed() + p.zombies() > 0)
        .sorted(Comparator.comparingLong(ParentLifecycle::zombies).thenComparingLong(ParentLifecycle::removed)
            .reversed())
        .limit(TextReportRenderer.TOP).toList();
    if (!busy.isEmpty()) {
      sb.append("per parent:\n");
      TextTable table = new TextTable("CREATED", "REMOVED", "RECREATED", "ZOMBIES", "OLDEST", "FILE AT DEATH",
          "HIERARCHY", "CGROUP").rightAlign(0, 1, 2, 3, 4, 5);
      for (ParentLifecycle p : busy) {
        table.row(Long.toString(p.created()), Long.toString(p.removed()), Long.toString(p.recreated()),
            Long.toString(p.zombies()), p.oldestZombieAge().map(HumanUnits::age).orElse("-"),
            TextReportRenderer.bytesOr(p.zombieChargesAtDeath().fileBytes()), TerminalSafe.escape(p.hierarchy()),
            TerminalSafe.escape(p.path()));
      }
      table.render(sb, "  ", style.width());
    }
  }
}
