package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cgwatch.agent.cli.CliRunner;
import io.cgwatch.fixtures.HostTree;
import io.cgwatch.model.Saturating;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counters a broken or forged tree sets at the edge of a long: before, {@code parent − Σ children} wrapped when the
 * children summed past 2^63 (inventing exabytes of orphaned page cache), host sums of several such parents turned
 * negative, and the dying memcgs' kernel memory (count × bytes each) wrapped.
 */
class OverflowTest {
  static final long MAX = Long.MAX_VALUE;

  private static Path tree(Path root) {
    HostTree t = HostTree.unified(root).kernel("6.12.0").hostFile("proc/meminfo", "MemTotal: 2000000 kB\n")
        .hostFile("sys/devices/system/cpu/online", "0-1\n");
    t.cgroup("/").file("cgroup.controllers", "memory\n").file("cgroup.subtree_control", "memory\n")
        .file("cgroup.stat", "nr_descendants 5\nnr_dying_descendants " + MAX + "\n");
    // p: a small parent whose two children each claim Long.MAX_VALUE: nothing is left behind under p
    t.cgroup("/p").file("cgroup.controllers", "memory\n").file("cgroup.subtree_control", "memory\n")
        .file("cgroup.stat", "nr_descendants 2\nnr_dying_descendants " + MAX + "\n")
        .file("memory.current", "1000\n").file("memory.stat", "file 100\nanon 0\n");
    for (String c : List.of("/p/c1", "/p/c2")) {
      t.cgroup(c).file("cgroup.controllers", "memory\n").file("cgroup.stat", "nr_descendants 0\n")
          .file("memory.current", MAX + "\n").file("memory.stat", "file " + MAX + "\nanon " + MAX + "\n");
    }
    // q and r: two childless parents at Long.MAX_VALUE each: the host sum must stick, not wrap
    for (String c : List.of("/q", "/r")) {
      t.cgroup(c).file("cgroup.controllers", "memory\n").file("cgroup.subtree_control", "memory\n")
          .file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 1\n")
          .file("memory.current", MAX + "\n").file("memory.stat", "file " + MAX + "\nanon 0\n");
    }
    return root;
  }

  @Test
  void saturatingArithmetic() {
    assertEquals(MAX, Saturating.add(MAX, 1));
    assertEquals(MAX, Saturating.add(MAX - 5, MAX - 5));
    assertEquals(Long.MIN_VALUE, Saturating.add(Long.MIN_VALUE, -1));
    assertEquals(7, Saturating.add(3, 4));
    assertEquals(Long.MIN_VALUE, Saturating.subtract(-10, MAX));
    assertEquals(MAX, Saturating.subtract(10, Long.MIN_VALUE));
    assertEquals(-1, Saturating.subtract(1, 2));
    assertEquals(MAX, Saturating.multiply(MAX, 14336));
    assertEquals(Long.MIN_VALUE, Saturating.multiply(-MAX, 2));
    assertEquals(14336L * 1000, Saturating.multiply(1000, 14336));
  }

  @Test
  void countersNear2To63NeverWrapInAnyOutput(@TempDir Path tmp) throws Exception {
    Path host = tree(tmp);
    CliRunner.Result json = NoHang.run("diagnose --json", () -> CliRunner.run("diagnose", "--json",
        "--host-root", host.toString()));
    JsonNode doc = new ObjectMapper().readTree(json.out());
    List<String> negative = new ArrayList<>();
    walk(doc, "", negative);
    assertTrue(negative.isEmpty(), "negative numbers: " + negative);
    JsonNode orphaned = doc.get("orphaned_memory");
    String all = orphaned.toString();
    assertFalse(all.contains("-"), all);
    // p: its children over-account; nothing is invented for it
    boolean seen = false;
    for (JsonNode c : doc.get("cgroups")) {
      if (c.get("path").asText().equals("/p")) {
        assertEquals(0, c.get("orphaned").get("file_bytes").asLong(), c.toString());
        seen = true;
      }
    }
    assertTrue(seen, "no /p in " + doc.get("cgroups"));
    assertEquals(MAX, orphaned.get("file_bytes").asLong(), "the host sum sticks at 2^63-1: " + orphaned);

    CliRunner.Result text = NoHang.run("diagnose", () -> CliRunner.run("diagnose", "--host-root", host.toString()));
    assertFalse(text.out().matches("(?s).*\\s-\\d.*"), "a negative figure in the text report:\n" + text.out());
    CliRunner.Result om = NoHang.run("diagnose --format openmetrics", () -> CliRunner.run("diagnose", "--format",
        "openmetrics", "--host-root", host.toString()));
    for (io.cgwatch.support.ExpositionParser.Sample s : Reliability.parseExposition(om.out())) {
      assertFalse(s.value().startsWith("-"), "negative sample " + s);
    }
    // two samples: the tracker meets the absurd dying count too
    CliRunner.Result twice = NoHang.run("diagnose --samples 2", () -> CliRunner.run("diagnose", "--json",
        "--samples", "2", "--interval", "100ms", "--host-root", host.toString()));
    walk(new ObjectMapper().readTree(twice.out()), "", negative);
    assertTrue(negative.isEmpty(), "negative numbers with 2 samples: " + negative);
  }

  private static void walk(JsonNode n, String at, List<String> negative) {
    if (n.isNumber() && n.asDouble() < 0) {
      negative.add(at + "=" + n);
    }
    n.fields().forEachRemaining(e -> walk(e.getValue(), at + "." + e.getKey(), negative));
    if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        walk(n.get(i), at + "[" + i + "]", negative);
      }
    }
  }
}
