package io.cgwatch.exporters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.exporters.prometheus.ExportOptions;
import io.cgwatch.exporters.prometheus.Exposition;
import io.cgwatch.exporters.prometheus.PrometheusRenderer;
import io.cgwatch.fixtures.HostTree;
import io.cgwatch.support.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner series stay bounded (the top N by dying, then one {@code kind="other"} with the rest, so sums over
 * owners always equal the whole) and an owner name, decoded from a hostile cgroup name, cannot break the format.
 */
class OwnerSeriesTest {
  @Test
  void topOwnersThenOtherWithTheRest() {
    String text = render(Fixtures.host("owners-k8s-systemd"), new ExportOptions(3, List.of(), List.of(), 2000, 2));
    List<String> dying = text.lines().filter(l -> l.startsWith("cgwatch_owner_dying_cgroups{")).toList();
    assertEquals(List.of(
        "cgwatch_owner_dying_cgroups{kind=\"pod\",name=\"cart-7d9f5b6c4-x2k4p\",namespace=\"shop\",} 3.0",
        "cgwatch_owner_dying_cgroups{kind=\"pod\",name=\"c41d8e2b-7a35-4f19-b6c0-93e2d1f4a857\",namespace=\"\",} 2.0",
        "cgwatch_owner_dying_cgroups{kind=\"other\",name=\"other\",namespace=\"\",} 4.0"), dying);
    assertTrue(text.contains("cgwatch_owner_orphaned_file_bytes{kind=\"other\",name=\"other\",namespace=\"\",} "
        + (double) (3 + 2 + 1) * (1 << 20)), "system.slice 3 MiB + burstable 2 MiB + etcd 1 MiB");
  }

  @Test
  void noOwnerSeriesButOtherWhenTheLimitIsZero() {
    String text = render(Fixtures.host("owners-k8s-systemd"), new ExportOptions(3, List.of(), List.of(), 2000, 0));
    assertEquals(List.of("cgwatch_owner_dying_cgroups{kind=\"other\",name=\"other\",namespace=\"\",} 9.0"),
        text.lines().filter(l -> l.startsWith("cgwatch_owner_dying_cgroups{")).toList());
  }

  @Test
  void hostileOwnerNamesAreEscapedLabelValues(@TempDir Path tmp) {
    HostTree t = HostTree.unified(tmp);
    t.cgroup("/").file("cgroup.stat", "nr_descendants 2\nnr_dying_descendants 2\n")
        .file("cgroup.controllers", "memory\n");
    // systemd-style escapes decode to a quote, a newline and a brace: the owner name carries them
    t.cgroup("/a\\x22,evil=\\x221.service").file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 1\n");
    t.cgroup("/line\\x0abreak} 666\\x0acgwatch_up 0.service")
        .file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 1\n");
    String text = render(tmp, ExportOptions.DEFAULTS);
    assertTrue(text.contains("name=\"a\\\",evil=\\\"1.service\""), text);
    assertTrue(text.contains("name=\"line\\nbreak} 666\\ncgwatch_up 0.service\""), text);
    assertFalse(text.lines().anyMatch(l -> l.startsWith("cgwatch_up 0")), "no injected sample line");
    assertFalse(text.lines().anyMatch(l -> l.startsWith("break")), "no line starts inside a label value");
  }

  private static String render(Path host, ExportOptions options) {
    return Exposition.render(PrometheusRenderer.families(Optional.of(ExpositionGoldenTest.analyzeTwice(host)),
        ExpositionGoldenTest.SELF, options)).text();
  }
}
