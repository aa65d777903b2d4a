package io.cgwatch.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code cgwatch capture}: a capture reads back as the host it came from. */
class CaptureCommandTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC);

  record Run(int exitCode, String out, String err) {}

  static Run capture(String... args) {
    CommandLine cli = new CommandLine(new CaptureCommand(CLOCK));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"unified-6.1-dying", "hybrid-6.18", "legacy-v1", "edge-subsys-6.12", "edge-partial-view",
      "unified-6.1-clean", "edge-no-psi", "owners-k8s-systemd"})
  void captureThenDiagnoseGivesTheSameJson(String fixture, @TempDir Path tmp) {
    Path host = Fixtures.host(fixture);
    Path out = tmp.resolve("capture");
    Run r = capture("--host-root", host.toString(), out.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("captured "), r.out());
    JsonNode expected = CaptureJson.diagnose(host, CaptureJson.BY_DESIGN);
    JsonNode actual = CaptureJson.diagnose(out, CaptureJson.BY_DESIGN);
    CaptureJson.assertSameJson(expected, actual);
  }

  @Test
  void theRecordNamesTheCommandAsTypedThroughTheRootCommand(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("c");
    String host = Fixtures.host("hybrid-6.18").toString();
    io.cgwatch.agent.cli.CliRunner.Result r = io.cgwatch.agent.cli.CliRunner.run("capture", "--host-root", host,
        out.toString());
    assertEquals(0, r.exitCode(), r.err());
    String captured = Files.readString(out.resolve("CAPTURED"));
    assertTrue(captured.contains("command: cgwatch capture --host-root " + host + " " + out + "\n"), captured);
  }

  @Test
  void writesCapturedAndInodesInTheTimelineFormat(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("c");
    Run r = capture("--host-root", Fixtures.host("hybrid-6.18").toString(), out.toString());
    assertEquals(0, r.exitCode(), r.err());
    String captured = Files.readString(out.resolve("CAPTURED"));
    assertTrue(captured.contains("captured_at_utc: 2026-11-26T08:00:00Z"), captured);
    assertTrue(captured.contains("uname_r: 6.18.44-fc-v782"), captured);
    assertTrue(captured.contains("complete: yes"), captured);
    assertTrue(captured.contains("command: cgwatch capture --host-root"), captured);
    List<String> inodes = Files.readAllLines(out.resolve("INODES"));
    assertTrue(inodes.stream().anyMatch(l -> l.matches("\\d+ unified")), inodes.toString());
    assertTrue(inodes.stream().anyMatch(l -> l.matches("\\d+ memory/process_api")), inodes.toString());
    for (String l : inodes) {
      String path = l.substring(l.indexOf(' ') + 1);
      assertTrue(Files.isDirectory(out.resolve("sys/fs/cgroup").resolve(path)), l);
    }
    // The mountinfo keeps only the cgroup mounts and the tmpfs below them.
    for (String l : Files.readAllLines(out.resolve("proc/self/mountinfo"))) {
      assertTrue(l.contains(" - cgroup ") || l.contains(" - cgroup2 ") || l.contains(" /sys/fs/cgroup "), l);
    }
  }

  @Test
  void cgroupProcsKeepsOnlyWhetherItWasEmptyAndItsMtime(@TempDir Path tmp) throws IOException {
    Path host = Fixtures.host("hybrid-6.18");
    Path out = tmp.resolve("c");
    assertEquals(0, capture("--host-root", host.toString(), out.toString()).exitCode());
    try (Stream<Path> s = Files.walk(out)) {
      for (Path p : s.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
        String content = Files.readString(p);
        assertTrue(content.isEmpty() || content.equals("1\n"), p + ": " + content);
        Path src = host.resolve(out.relativize(p).toString());
        assertEquals(Files.readString(src).isBlank(), content.isEmpty(), p.toString());
        assertEquals(Files.getLastModifiedTime(src).toMillis(), Files.getLastModifiedTime(p).toMillis(), p.toString());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"unified-6.1-dying", "hybrid-6.18"})
  void anonymizedCaptureHoldsNoOriginalNameAndTheSameDyingCounts(String fixture, @TempDir Path tmp)
      throws IOException {
    Path host = Fixtures.host(fixture);
    Path out = tmp.resolve("anon");
    Run r = capture("--anonymize", "--host-root", host.toString(), out.toString());
    assertEquals(0, r.exitCode(), r.err());
    List<String> names = cgroupNames(host.resolve("sys/fs/cgroup"));
    assertTrue(names.containsAll(fixture.startsWith("unified")
        ? List.of("jobs", "keeper", "system.slice", "cron.service")
        : List.of("process_api", "3910f6d834a14b8a251ad8a626a079be")), names.toString());
    try (Stream<Path> s = Files.walk(out)) {
      for (Path p : s.toList()) {
        String rel = out.relativize(p).toString();
        String content = Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        for (String name : names) {
          assertFalse(rel.contains(name), "file name " + rel + " holds " + name);
          assertFalse(content.contains(name), "content of " + rel + " holds " + name);
        }
      }
    }
    if (fixture.startsWith("unified")) {
      assertTrue(Files.isDirectory(out.resolve("sys/fs/cgroup").resolve(Anonymizer.name("jobs"))
          .resolve(Anonymizer.name("keeper"))));
    }
    JsonNode expected = CaptureJson.diagnose(host, CaptureJson.BY_DESIGN);
    JsonNode actual = CaptureJson.diagnose(out, CaptureJson.BY_DESIGN);
    assertEquals(expected.get("dying_memory_cgroups"), actual.get("dying_memory_cgroups"));
    assertEquals(expected.get("hierarchies"), actual.get("hierarchies"));
    assertEquals(expected.get("orphaned_memory"), actual.get("orphaned_memory"));
    List<Long> expectedDying = new ArrayList<>();
    List<Long> actualDying = new ArrayList<>();
    expected.get("cgroups").forEach(c -> expectedDying.add(c.path("nr_dying_descendants").asLong(-1)));
    actual.get("cgroups").forEach(c -> actualDying.add(c.path("nr_dying_descendants").asLong(-1)));
    expectedDying.sort(null);
    actualDying.sort(null);
    assertEquals(expectedDying, actualDying);
    // INODES has a line for every directory walked (every hierarchy's live cgroups), with the hashed paths.
    long live = 0;
    for (JsonNode h : expected.get("hierarchies")) {
      live += h.get("live_cgroups").asLong();
    }
    assertEquals(live, Files.readAllLines(out.resolve("INODES")).size());
  }

  @Test
  void anonymizingIsStableAcrossCaptures(@TempDir Path tmp) throws IOException {
    Path host = Fixtures.host("unified-6.1-dying");
    assertEquals(0, capture("--anonymize", "--host-root", host.toString(), tmp.resolve("a").toString()).exitCode());
    assertEquals(0, capture("--anonymize", "--host-root", host.toString(), tmp.resolve("b").toString()).exitCode());
    assertEquals(Files.readString(tmp.resolve("a/INODES")), Files.readString(tmp.resolve("b/INODES")));
  }

  @Test
  void outNotEmptyIsBadUsage(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("full");
    Files.createDirectories(out);
    Files.writeString(out.resolve("x"), "keep me");
    Run r = capture("--host-root", Fixtures.host("hybrid-6.18").toString(), out.toString());
    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("is not empty"), r.err());
    assertEquals("keep me", Files.readString(out.resolve("x")));
  }

  @Test
  void badOptionsAreBadUsage(@TempDir Path tmp) {
    String host = Fixtures.host("hybrid-6.18").toString();
    assertEquals(3, capture("--host-root", host, "--max-bytes", "lots", tmp.resolve("a").toString()).exitCode());
    assertEquals(3, capture("--host-root", host, "--timeout", "soon", tmp.resolve("b").toString()).exitCode());
    assertEquals(3, capture("--host-root", host, "--max-files", "0", tmp.resolve("c").toString()).exitCode());
    assertEquals(3, capture("--host-root", tmp.resolve("nope").toString(), tmp.resolve("d").toString()).exitCode());
    assertEquals(3, capture("--host-root", host).exitCode());
  }

  @Test
  void emptyOutDirectoryIsAccepted(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("empty");
    Files.createDirectories(out);
    assertEquals(0, capture("--host-root", Fixtures.host("legacy-v1").toString(), out.toString()).exitCode());
  }

  @Test
  void maxFilesStopsWithExitOneAndAnIncompleteNote(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("c");
    Run r = capture("--max-files", "12", "--host-root", Fixtures.host("hybrid-6.18").toString(), out.toString());
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains("capture incomplete: --max-files 12"), r.err());
    String captured = Files.readString(out.resolve("CAPTURED"));
    assertTrue(captured.contains("complete: NO, incomplete: --max-files 12"), captured);
  }

  @Test
  void maxBytesAndTimeoutStopWithExitOne(@TempDir Path tmp) throws IOException {
    String host = Fixtures.host("hybrid-6.18").toString();
    Run bytes = capture("--max-bytes", "1KiB", "--host-root", host, tmp.resolve("a").toString());
    assertEquals(1, bytes.exitCode(), bytes.err());
    assertTrue(Files.readString(tmp.resolve("a/CAPTURED")).contains("--max-bytes 1024 reached"));
    Run time = capture("--timeout", "0ms", "--host-root", host, tmp.resolve("b").toString());
    assertEquals(1, time.exitCode(), time.err());
    assertTrue(Files.readString(tmp.resolve("b/CAPTURED")).contains("--timeout"));
  }

  @Test
  void sizesParse() {
    assertEquals(512L << 20, CaptureCommand.parseSize("512MiB"));
    assertEquals(1024, CaptureCommand.parseSize("1K"));
    assertEquals(7, CaptureCommand.parseSize("7"));
    assertEquals(2L << 30, CaptureCommand.parseSize("2GiB"));
  }

  /** Every cgroup directory name below the cgroup root (mount points excluded). */
  static List<String> cgroupNames(Path cgroupRoot) throws IOException {
    try (Stream<Path> s = Files.walk(cgroupRoot)) {
      return s.filter(Files::isDirectory).filter(p -> !p.equals(cgroupRoot))
          .filter(p -> Files.exists(p.resolve("cgroup.procs")) || Files.exists(p.resolve("cgroup.stat")))
          .filter(p -> !p.getParent().equals(cgroupRoot) || Files.exists(cgroupRoot.resolve("cgroup.stat")))
          .map(p -> p.getFileName().toString()).distinct().toList();
    }
  }
}
