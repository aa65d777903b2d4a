package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.exporters.text.TextReportRenderer;
import io.cgwatch.exporters.text.TextStyle;
import io.cgwatch.support.Fixtures;
import io.cgwatch.support.Golden;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What people and scripts get from diagnose: widths, colour, formats, and one golden report per verdict. */
class DiagnoseFormatTest {
  private static final String HOST = Fixtures.host("unified-6.1-dying").toString();

  @Test
  void narrowTerminal() {
    CliRunner.Result r = CliRunner.run("diagnose", "--width", "60", "--host-root", HOST);
    assertEquals(0, r.exitCode(), r.err());
    Golden.assertMatches("diagnose-unified-6.1-dying-width60.txt", r.out());
    assertTrue(r.out().lines().allMatch(l -> l.length() <= 60), "every line fits 60 columns:\n" + r.out().lines()
        .filter(l -> l.length() > 60).toList());
  }

  @Test
  void goldenReportsForEachVerdict(@TempDir Path tmp) throws Exception {
    Path warning = tmp.resolve("warning.yml");
    Files.writeString(warning, "alerts:\n  rules:\n    DyingCgroupsHigh: {threshold: 4}\n");
    Path critical = tmp.resolve("critical.yml");
    Files.writeString(critical, "alerts:\n  rules:\n    OrphanedPageCacheHigh: {threshold: 16777216, severity: critical}\n");
    for (String[] c : new String[][] {{"warning", warning.toString()}, {"critical", critical.toString()}}) {
      CliRunner.Result text = CliRunner.run("diagnose", "--config", c[1], "--host-root", HOST);
      Golden.assertMatches("diagnose-unified-6.1-dying-" + c[0] + ".txt", text.out());
      CliRunner.Result json = CliRunner.run("diagnose", "--format", "json", "--config", c[1], "--host-root", HOST);
      Golden.assertMatches("diagnose-unified-6.1-dying-" + c[0] + ".json", DiagnoseGoldenTest.withoutInodes(json.out()));
    }
  }

  @Test
  void goldenReportForUnknown(@TempDir Path tmp) {
    io.cgwatch.fixtures.HostTree.withMountinfo(tmp, "22 27 0:21 / /proc rw,relatime - proc proc rw\n");
    CliRunner.Result r = CliRunner.run("diagnose", "--host-root", tmp.toString());
    assertEquals(3, r.exitCode());
    Golden.assertMatches("diagnose-unknown.txt", r.out());
    Golden.assertMatches("diagnose-unknown.json", CliRunner.run("diagnose", "--json", "--host-root", tmp.toString())
        .out());
  }

  @Test
  void goldenReportsWithHostileNames(@TempDir Path tmp) {
    io.cgwatch.fixtures.HostTree t = io.cgwatch.fixtures.HostTree.unified(tmp).kernel("6.12.0");
    t.cgroup("/").file("cgroup.stat", "nr_descendants 4\nnr_dying_descendants 7\n");
    t.cgroup("/evil\u001b[2J\u001b]0;pwned\u0007name").file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 3\n");
    t.cgroup("/quote\"and\\backslash").file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 2\n");
    t.cgroup("/two\nlines").file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 1\n");
    // Tries to end the label value and start a series of its own in the exposition (io.cgwatch.reliability).
    t.cgroup("/x\"} 1\nfake_metric 1").file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 1\n");
    CliRunner.Result text = CliRunner.run("diagnose", "--host-root", tmp.toString());
    Golden.assertMatches("diagnose-hostile-names.txt", text.out());
    Golden.assertMatches("diagnose-hostile-names.json", DiagnoseGoldenTest.withoutInodes(
        CliRunner.run("diagnose", "--json", "--host-root", tmp.toString()).out()));
  }

  @Test
  void colourOnlyWhenTheStyleAsksForIt() throws Exception {
    var a = new Analyzer(CliRunner.FIXED, TrackerSettings.DEFAULTS, Duration.ofHours(1)).analyze(
        new CgroupScanner().scan(HostRoots.of(Path.of(HOST)), ScanOptions.DEFAULTS, CliRunner.FIXED));
    StringWriter coloured = new StringWriter();
    TextReportRenderer.render(a, coloured, new TextStyle(true, 0));
    assertTrue(coloured.toString().startsWith("\u001b[32mOK\u001b[0m: no alert fires"), coloured.toString());
    StringWriter plain = new StringWriter();
    TextReportRenderer.render(a, plain, TextStyle.PLAIN);
    assertFalse(plain.toString().contains("\u001b"));
    assertFalse(Terminal.style(true, null).color(), "--no-color");
    assertFalse(Terminal.style(false, null).color(), "not a terminal (tests run with stdout redirected)");
    assertFalse(CliRunner.run("diagnose", "--host-root", HOST).out().contains("\u001b"));
  }

  @Test
  void formats() {
    CliRunner.Result om = CliRunner.run("diagnose", "--format", "openmetrics", "--host-root", HOST);
    assertEquals(0, om.exitCode(), om.err());
    assertTrue(om.out().contains("cgwatch_dying_memory_cgroups{method=\"nr_dying_descendants\"} 5.0"), om.out());
    assertTrue(om.out().endsWith("# EOF\n"));
    assertEquals(CliRunner.run("diagnose", "--json", "--host-root", HOST).out(),
        CliRunner.run("diagnose", "--format", "json", "--host-root", HOST).out());
    assertEquals(3, CliRunner.run("diagnose", "--format", "yaml", "--host-root", HOST).exitCode());
  }
}
