package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cgwatch.fixtures.HostTree;
import io.cgwatch.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code diagnose} as a monitoring check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, on fixture hosts. */
class DiagnoseVerdictTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOST = Fixtures.host("unified-6.1-dying").toString();

  private static Path config(Path tmp, String yaml) throws Exception {
    Path f = tmp.resolve("cgwatch.yml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void okWithTheDefaults() throws Exception {
    CliRunner.Result r = CliRunner.run("diagnose", "--json", "--host-root", HOST);
    assertEquals(0, r.exitCode(), r.err());
    JsonNode doc = JSON.readTree(r.out());
    assertEquals("ok", doc.get("verdict").asText());
    assertEquals(0, doc.get("alerts").size());
  }

  @Test
  void warningWhenAWarningRuleFires(@TempDir Path tmp) throws Exception {
    Path cfg = config(tmp, "alerts:\n  rules:\n    DyingCgroupsHigh: {threshold: 4}\n");
    CliRunner.Result r = CliRunner.run("diagnose", "--json", "--config", cfg.toString(), "--host-root", HOST);
    assertEquals(1, r.exitCode(), r.err());
    JsonNode doc = JSON.readTree(r.out());
    assertEquals("warning", doc.get("verdict").asText());
    JsonNode alert = doc.get("alerts").get(0);
    assertEquals("DyingCgroupsHigh", alert.get("name").asText());
    assertEquals("firing", alert.get("state").asText(), "one-shot: 'for' counts as satisfied");
    assertEquals(5.0, alert.get("value").asDouble());
    CliRunner.Result text = CliRunner.run("diagnose", "--config", cfg.toString(), "--host-root", HOST);
    assertTrue(text.out().startsWith("WARNING: DyingCgroupsHigh - 5 dying memory cgroups (threshold 4)\n"),
        text.out());
  }

  @Test
  void criticalWhenACriticalRuleFires(@TempDir Path tmp) throws Exception {
    Path cfg = config(tmp, """
        alerts:
          rules:
            DyingCgroupsHigh: {threshold: 4}
            OrphanedPageCacheHigh: {threshold: 16777216, severity: critical}
        """);
    CliRunner.Result r = CliRunner.run("diagnose", "--config", cfg.toString(), "--host-root", HOST);
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("CRITICAL: OrphanedPageCacheHigh - 32.0 MiB of page cache left behind under /jobs"),
        r.out());
    assertTrue(r.out().contains("memory.reclaim"), "6.1 has memory.reclaim: the advice uses it\n" + r.out());
  }

  @Test
  void unknownWhenNoHierarchyCanBeRead(@TempDir Path tmp) {
    HostTree.withMountinfo(tmp, "22 27 0:21 / /proc rw,relatime - proc proc rw\n");
    CliRunner.Result r = CliRunner.run("diagnose", "--host-root", tmp.toString());
    assertEquals(3, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("UNKNOWN: no cgroup hierarchy could be read"), r.out());
  }

  @Test
  void usageErrorsAndBadConfigsAreUnknown(@TempDir Path tmp) throws Exception {
    assertEquals(3, CliRunner.run("diagnose", "--no-such-flag").exitCode());
    Path typo = config(tmp, "alerts:\n  rules:\n    DyingCgroupsHgih: {threshold: 4}\n");
    CliRunner.Result r = CliRunner.run("diagnose", "--config", typo.toString(), "--host-root", HOST);
    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("DyingCgroupsHgih"), r.err());
  }
}
