package io.cgwatch.cgroupfs.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code /proc/cgroups}: a {@code #subsys_name hierarchy num_cgroups enabled} header, then one
 * tab-separated row per controller. Since 6.13 rows of v2-only controllers are hidden unless booted with
 * {@code cgroup_v1_proc=1}, so this is not a complete controller list.
 */
public final class ProcCgroupsParser {
  private ProcCgroupsParser() {}

  public static List<ProcCgroupsRow> parse(String content) throws MalformedFileException {
    List<ProcCgroupsRow> rows = new ArrayList<>();
    String[] lines = content.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      Long hierarchy = f.length == 4 ? Numbers.parseLong(f[1]) : null;
      Long num = f.length == 4 ? Numbers.parseLong(f[2]) : null;
      Long enabled = f.length == 4 ? Numbers.parseLong(f[3]) : null;
      if (hierarchy == null || num == null || enabled == null || hierarchy < 0 || num < 0
          || hierarchy > Integer.MAX_VALUE) {
        throw MalformedFileException.atLine(i + 1, "'<subsys> <hierarchy> <num_cgroups> <enabled>'", line);
      }
      rows.add(new ProcCgroupsRow(f[0], hierarchy.intValue(), num, enabled != 0));
    }
    return List.copyOf(rows);
  }
}
