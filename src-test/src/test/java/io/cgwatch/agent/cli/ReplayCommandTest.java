package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cgwatch.support.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code cgwatch replay} over the real 6.1 timeline: the lifecycle the captures encode. */
class ReplayCommandTest {
  private static String[] args(String... extra) {
    List<String> a = new ArrayList<>(List.of("replay"));
    a.addAll(List.of(extra));
    for (String step : List.of("t0", "t1", "t2", "t3", "t4")) {
      a.add(Fixtures.dir().resolve("timelines/v2-6.1-jobs").resolve(step).toString());
    }
    return a.toArray(new String[0]);
  }

  @Test
  void textShowsOneLinePerCaptureAndTheLifecycle() {
    CliRunner.Result r = CliRunner.run(args());
    assertEquals(0, r.exitCode(), r.err());
    List<String> rows = r.out().lines().filter(l -> l.startsWith("  2026-11-25T")).toList();
    assertEquals(5, rows.size(), r.out());
    assertEquals(List.of("0", "0", "3", "2", "0"), rows.stream().map(l -> l.trim().split("\\s+")[1]).toList(),
        "dying memory cgroups at each capture");
    assertTrue(rows.get(2).matches(".*\\s4\\s+4\\s+0\\s+3\\s+14\\.0 MiB.*"), rows.get(2));
    assertTrue(r.out().contains("lifecycle over 5 samples since 2026-11-25T23:51:47Z: created 5, removed 5, "
        + "recreated 1"), r.out());
  }

  @Test
  void jsonIsTheLastReportWithItsLifecycle() throws Exception {
    CliRunner.Result r = CliRunner.run(args("--json"));
    assertEquals(0, r.exitCode(), r.err());
    JsonNode l = new ObjectMapper().readTree(r.out()).get("lifecycle");
    assertEquals(5, l.get("observations").asInt());
    assertEquals(5, l.get("created").asInt());
    assertEquals(1, l.get("recreated").asInt());
    assertEquals(0, l.get("zombies").size());
    JsonNode jobs = null;
    for (JsonNode p : l.get("parents")) {
      if (p.get("path").asText().equals("/jobs")) {
        jobs = p;
      }
    }
    assertEquals(4, jobs.get("reap_lag").get("count").asInt(), "all four jobs were freed, one lag each");
  }

  @Test
  void capturesOutOfOrderAreAUsageError() {
    CliRunner.Result r = CliRunner.run("replay", Fixtures.dir().resolve("timelines/v2-6.1-jobs/t2").toString(),
        Fixtures.dir().resolve("timelines/v2-6.1-jobs/t1").toString());
    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("give the captures in time order"), r.err());
  }
}
