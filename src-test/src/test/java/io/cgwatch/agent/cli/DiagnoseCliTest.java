package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cgwatch.fixtures.HostTree;
import io.cgwatch.support.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a shell user sees: flags, exit codes, hostile cgroup names. */
class DiagnoseCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ESCAPE_NAME = "evil\u001b[2J\u001b]0;pwned\u0007name";
  private static final String BIDI_NAME = "job-\u202egnp.exe";
  private static final String NEWLINE_NAME = "two\nlines";

  /** A v2 host whose cgroups have control characters in their names and dying descendants. */
  private static Path hostileHost(Path tmp) {
    HostTree t = HostTree.unified(tmp).kernel("6.12.0");
    t.cgroup("/").file("cgroup.stat", "nr_descendants 3\nnr_dying_descendants 6\n");
    t.cgroup("/" + ESCAPE_NAME).file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 3\n");
    t.cgroup("/" + BIDI_NAME).file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 2\n");
    t.cgroup("/" + NEWLINE_NAME).file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 1\n");
    return tmp;
  }

  @Test
  void controlCharactersInNamesNeverReachTheTerminal(@TempDir Path tmp) {
    CliRunner.Result r = CliRunner.run("diagnose", "--host-root", hostileHost(tmp).toString());
    assertEquals(0, r.exitCode(), r.err());
    assertFalse(r.out().contains("\u001b"), "no raw ESC in the report");
    assertFalse(r.out().contains("\u0007"), "no raw BEL in the report");
    assertFalse(r.out().contains("\u202e"), "no raw bidi override in the report");
    assertTrue(r.out().contains("evil\\x1b[2J\\x1b]0;pwned\\x07name"), r.out());
    assertTrue(r.out().contains("job-\\u202egnp.exe"), r.out());
    assertTrue(r.out().contains("two\\x0alines"), r.out());
    // each cgroup stays on one line of the subtree tree
    assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+3\\s+0\\s+-\\s+evil.*name")), r.out());
  }

  @Test
  void jsonKeepsNamesExactAndParses(@TempDir Path tmp) throws Exception {
    CliRunner.Result r = CliRunner.run("diagnose", "--json", "--host-root", hostileHost(tmp).toString());
    assertEquals(0, r.exitCode(), r.err());
    assertFalse(r.out().contains("\u001b"), "JSON escapes control characters");
    JsonNode doc = JSON.readTree(r.out());
    List<String> paths = new ArrayList<>();
    doc.get("cgroups").forEach(c -> paths.add(c.get("path").asText()));
    assertTrue(paths.contains("/" + ESCAPE_NAME), paths.toString());
    assertTrue(paths.contains("/" + BIDI_NAME), paths.toString());
    assertTrue(paths.contains("/" + NEWLINE_NAME), paths.toString());
  }

  @Test
  void jsonSaysNullForWhatTheKernelDidNotProvide() throws Exception {
    CliRunner.Result r = CliRunner.run("diagnose", "--json", "--host-root",
        Fixtures.host("edge-no-psi").toString());
    JsonNode doc = JSON.readTree(r.out());
    assertEquals(1, doc.get("schema_version").asInt());
    JsonNode child = doc.get("cgroups").get(1);
    assertTrue(child.get("pressure").isNull(), "4.19 has no PSI: null, not zeros");
    assertTrue(child.get("memory").get("peak_bytes").isNull(), "4.19 has no memory.peak");
    assertTrue(child.get("nr_dying_subsys").isNull(), "no nr_dying_subsys_* lines before 6.11");
    assertTrue(child.get("memory").get("current_bytes").isNumber());
  }

  @Test
  void limitsAreNumbersOrMax() throws Exception {
    JsonNode doc = JSON.readTree(CliRunner.run("diagnose", "--json", "--host-root",
        Fixtures.host("edge-vendor-and-traps").toString()).out());
    List<String> maxima = new ArrayList<>();
    doc.get("cgroups").forEach(c -> {
      if (!c.get("memory").isNull() && !c.get("memory").get("max_bytes").isNull()) {
        maxima.add(c.get("memory").get("max_bytes").toString());
      }
    });
    assertTrue(maxima.contains("\"max\""), maxima.toString());
  }

  @Test
  void maxDepthLimitsTheCgroupsReported() throws Exception {
    JsonNode doc = JSON.readTree(CliRunner.run("diagnose", "--json", "--max-depth", "0", "--host-root",
        Fixtures.host("unified-6.1-dying").toString()).out());
    assertEquals(1, doc.get("cgroups").size());
    assertEquals(6, doc.get("hierarchies").get(0).get("live_cgroups").asInt());
  }

  @Test
  void negativeMaxDepthIsAUsageError() {
    CliRunner.Result r = CliRunner.run("diagnose", "--max-depth", "-1", "--host-root",
        Fixtures.host("unified-6.1-dying").toString());
    assertEquals(3, r.exitCode(), "bad usage is UNKNOWN for a monitoring check");
    assertTrue(r.err().contains("--max-depth must be 0 or more"), r.err());
  }

  @Test
  void missingHostRootIsAUsageError(@TempDir Path tmp) {
    CliRunner.Result r = CliRunner.run("diagnose", "--host-root", tmp.resolve("nope").toString());
    assertEquals(3, r.exitCode(), "bad usage is UNKNOWN for a monitoring check");
    assertTrue(r.err().contains("not a directory"), r.err());
  }

  @Test
  void malformedFilesAreListedWithPathFileAndReason() {
    CliRunner.Result r = CliRunner.run("diagnose", "--host-root", Fixtures.host("edge-vendor-and-traps").toString());
    assertEquals(0, r.exitCode());
    assertTrue(r.out().contains("/sys/fs/cgroup/system.slice/web.service/memory.current: malformed: expected one "
        + "integer, got 'garbage'"), r.out());
  }

  @Test
  void severalSamplesAddLifecycle() throws Exception {
    String host = Fixtures.host("unified-6.1-dying").toString();
    JsonNode one = JSON.readTree(CliRunner.run("diagnose", "--json", "--host-root", host).out());
    assertTrue(one.get("lifecycle").isNull(), "one sample has no history");
    CliRunner.Result r = CliRunner.run("diagnose", "--json", "--samples", "2", "--interval", "10ms", "--host-root",
        host);
    assertEquals(0, r.exitCode(), r.err());
    JsonNode lifecycle = JSON.readTree(r.out()).get("lifecycle");
    assertEquals(2, lifecycle.get("observations").asInt());
    assertEquals(0, lifecycle.get("created").asInt(), "nothing changed between the samples");
    assertEquals(5, lifecycle.get("unknown_origin_dying").asInt(), "dying before cgwatch watched");
    CliRunner.Result text = CliRunner.run("diagnose", "--samples", "2", "--interval", "10ms", "--host-root", host);
    assertTrue(text.out().contains("lifecycle over 2 samples"), text.out());
    assertTrue(text.out().contains("plus 5 dying of unknown origin"), text.out());
  }

  @Test
  void v1ZombiesComeWithTheirBound() throws Exception {
    String host = Fixtures.host("legacy-v1").toString();
    CliRunner.Result r = CliRunner.run("diagnose", "--json", "--samples", "2", "--interval", "10ms", "--host-root",
        host);
    JsonNode bounds = JSON.readTree(r.out()).get("lifecycle").get("zombie_bounds");
    assertEquals(1, bounds.size(), bounds.toString());
    JsonNode b = bounds.get(0);
    assertEquals("memory", b.get("hierarchy").asText());
    assertEquals(0, b.get("listed").asLong(), "nothing was removed between the samples");
    assertEquals(b.get("kernel_dying").asLong(), b.get("unknown_origin").asLong(), "all dying before cgwatch");
    CliRunner.Result text = CliRunner.run("diagnose", "--samples", "2", "--interval", "10ms", "--host-root", host);
    assertTrue(text.out().contains("memory (v1 counts dying cgroups only per hierarchy): at most 0 of the 0 listed "
        + "are among its " + b.get("kernel_dying").asLong() + " dying"), text.out());
  }

  @Test
  void badSampleCountsAndDurationsAreUsageErrors() {
    String host = Fixtures.host("unified-6.1-dying").toString();
    CliRunner.Result zero = CliRunner.run("diagnose", "--samples", "0", "--host-root", host);
    assertEquals(3, zero.exitCode());
    assertTrue(zero.err().contains("--samples must be 1 or more"), zero.err());
    CliRunner.Result badInterval = CliRunner.run("diagnose", "--interval", "soon", "--host-root", host);
    assertEquals(3, badInterval.exitCode());
    assertTrue(badInterval.err().contains("not a duration"), badInterval.err());
  }

  @Test
  void helpListsTheFlags() {
    CliRunner.Result r = CliRunner.run("diagnose", "--help");
    assertEquals(0, r.exitCode());
    for (String flag : List.of("--host-root", "--proc-root", "--cgroup-root", "--max-depth", "--json", "--samples",
        "--interval", "--leak-threshold")) {
      assertTrue(r.out().contains(flag), flag);
    }
  }
}
