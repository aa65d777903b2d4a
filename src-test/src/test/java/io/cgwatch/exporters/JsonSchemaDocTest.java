package io.cgwatch.exporters;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cgwatch.exporters.json.JsonReport;
import io.cgwatch.support.Fixtures;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/json-schema.md lists exactly the fields of the JSON records, in their order. */
class JsonSchemaDocTest {
  private static final Map<String, Class<?>> SECTIONS = new LinkedHashMap<>();

  static {
    SECTIONS.put("document", JsonReport.Document.class);
    SECTIONS.put("alert", JsonReport.Alert.class);
    SECTIONS.put("host", JsonReport.Host.class);
    SECTIONS.put("capabilities", JsonReport.Capabilities.class);
    SECTIONS.put("decision", JsonReport.Decision.class);
    SECTIONS.put("still_dying", JsonReport.StillDying.class);
    SECTIONS.put("dying_parent", JsonReport.DyingParent.class);
    SECTIONS.put("dying_cost", JsonReport.DyingCost.class);
    SECTIONS.put("hierarchy", JsonReport.Hierarchy.class);
    SECTIONS.put("dying", JsonReport.Dying.class);
    SECTIONS.put("host_orphaned", JsonReport.HostOrphaned.class);
    SECTIONS.put("memcg_ids", JsonReport.MemcgIds.class);
    SECTIONS.put("visible_leak", JsonReport.VisibleLeak.class);
    SECTIONS.put("lifecycle", JsonReport.Lifecycle.class);
    SECTIONS.put("zombie", JsonReport.Zombie.class);
    SECTIONS.put("zombie_bound", JsonReport.ZombieBound.class);
    SECTIONS.put("parent", JsonReport.Parent.class);
    SECTIONS.put("owners", JsonReport.Owners.class);
    SECTIONS.put("owner", JsonReport.OwnerEntry.class);
    SECTIONS.put("charges", JsonReport.Charges.class);
    SECTIONS.put("reap_lag", JsonReport.ReapLag.class);
    SECTIONS.put("bucket", JsonReport.Bucket.class);
    SECTIONS.put("cgroup", JsonReport.Cgroup.class);
    SECTIONS.put("memory", JsonReport.Memory.class);
    SECTIONS.put("orphaned", JsonReport.Orphaned.class);
    SECTIONS.put("pressures", JsonReport.Pressures.class);
    SECTIONS.put("pressure", JsonReport.Pressure.class);
    SECTIONS.put("psi", JsonReport.Psi.class);
    SECTIONS.put("pids", JsonReport.Pids.class);
    SECTIONS.put("scan", JsonReport.Scan.class);
    SECTIONS.put("error", JsonReport.Error.class);
  }

  @Test
  void everyRecordIsDocumentedFieldByField() {
    String doc = Fixtures.read(Fixtures.dir().resolve("../docs/json-schema.md"));
    Map<String, List<String>> documented = sections(doc);
    assertEquals(List.copyOf(SECTIONS.keySet()), List.copyOf(documented.keySet()), "documented sections");
    SECTIONS.forEach((section, type) -> assertEquals(fields(type), documented.get(section),
        "fields of " + type.getSimpleName() + " vs docs/json-schema.md section '" + section + "'"));
  }

  private static List<String> fields(Class<?> record) {
    return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
        .map(n -> n.replaceAll("([A-Z])", "_$1").toLowerCase()).toList();
  }

  private static Map<String, List<String>> sections(String doc) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<String> current = null;
    Pattern row = Pattern.compile("^\\| `([a-z0-9_]+)` \\|");
    for (String line : doc.split("\n")) {
      if (line.startsWith("### ")) {
        current = new ArrayList<>();
        out.put(line.substring(4).trim(), current);
      } else if (current != null) {
        Matcher m = row.matcher(line);
        if (m.find()) {
          current.add(m.group(1));
        }
      }
    }
    return out;
  }
}
