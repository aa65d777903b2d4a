package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.exporters.json.JsonReportRenderer;
import io.cgwatch.exporters.prometheus.ExportOptions;
import io.cgwatch.exporters.prometheus.Exposition;
import io.cgwatch.exporters.prometheus.HistogramSnapshot;
import io.cgwatch.exporters.prometheus.PrometheusRenderer;
import io.cgwatch.exporters.prometheus.SelfStats;
import io.cgwatch.exporters.text.TextReportRenderer;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.ScanError;
import io.cgwatch.support.Fixtures;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whole scans of real fixture trees whose files are overwritten with hostile content (mutations of the real
 * file, random bytes that are not UTF-8, files over the 1 MiB read cap): the scan returns, every cgroup is still
 * there, each bad file is one recorded error naming it, and the report renders as text, JSON and exposition.
 * Nothing else may be thrown and nothing may hang.
 */
class ScanFuzzTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  private static final List<String> HOSTS = List.of("unified-6.1-dying", "hybrid-6.18", "edge-odd-names");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path work;
  private static final List<Path> files = new ArrayList<>();
  private static final Map<Path, Long> baselineCgroups = new LinkedHashMap<>();
  private static long scans;
  private static long filesMangled;

  @BeforeAll
  static void copyFixtures() throws IOException {
    work = Files.createTempDirectory("cgwatch-scanfuzz");
    for (String host : HOSTS) {
      Path from = Fixtures.host(host);
      Path to = work.resolve(host);
      try (Stream<Path> s = Files.walk(from)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else if (Files.isRegularFile(p)) {
            Files.copy(p, target);
            files.add(target);
          }
        }
      }
      baselineCgroups.put(to, scan(to).scan().cgroupsRead());
    }
  }

  @AfterAll
  static void cleanUp() throws IOException {
    System.out.println("FUZZ scans: " + scans + " whole scans, " + filesMangled + " files mangled");
    try (Stream<Path> s = Files.walk(work)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static HostSnapshot scan(Path host) {
    return new CgroupScanner().scan(HostRoots.of(host), ScanOptions.DEFAULTS, CLOCK);
  }

  /** Scans per build, whatever the profile: each is a whole scan, analysis and three renderings. */
  static final int SCANS = 150;

  /**
   * One case: which files of which host get which content all follow from {@code seed}; {@code howMany} files
   * (1 to 8, either end an edge case) are overwritten.
   */
  record HostileScan(long seed, int howMany) {
    static HostileScan generate(SplittableRandom r) {
      int howMany = Generators.withEdgeCases(List.of(1, 8), g -> 1 + g.nextInt(8)).apply(r);
      return new HostileScan(r.nextLong(), howMany);
    }
  }

  @Test
  void aScanOfATreeWithHostileFilesRecordsErrorsAndNeverThrows() {
    Property.check("a scan of a tree with hostile files records errors and never throws", SCANS,
        HostileScan::generate, c -> scanWithHostileFiles(new SplittableRandom(c.seed()), c.howMany()));
  }

  private static void scanWithHostileFiles(SplittableRandom random, int howMany) throws Exception {
    Path host = new ArrayList<>(baselineCgroups.keySet()).get(random.nextInt(baselineCgroups.size()));
    List<Path> candidates = files.stream().filter(p -> p.startsWith(host)).toList();
    Map<Path, byte[]> originals = new LinkedHashMap<>();
    boolean hostFileTouched = false;
    try {
      for (int i = 0; i < howMany; i++) {
        Path victim = candidates.get(random.nextInt(candidates.size()));
        originals.putIfAbsent(victim, Files.readAllBytes(victim));
        Files.write(victim, hostile(new String(originals.get(victim), StandardCharsets.UTF_8), random));
        hostFileTouched |= host.relativize(victim).startsWith("proc");
        filesMangled++;
      }
      final boolean procTouched = hostFileTouched;
      NoHang.run("scan of " + host + " with " + originals.keySet(), () -> {
        HostSnapshot s = scan(host);
        scans++;
        if (!procTouched) { // mountinfo decides which hierarchies exist; control files never drop a cgroup
          assertEquals((long) baselineCgroups.get(host), s.scan().cgroupsRead(), "a bad file never drops a cgroup");
        }
        for (ScanError e : s.scan().errors()) {
          assertFalse(e.file().isEmpty() && e.path().isEmpty(), "an error names its file: " + e);
          assertFalse(e.message().chars().anyMatch(c -> c < 0x20 || c == 0x7f),
              "an error's reason has no raw control characters: " + e);
        }
        render(new Analyzer(CLOCK, TrackerSettings.DEFAULTS, Duration.ofHours(1)).analyze(s));
        return null;
      });
    } finally {
      for (Map.Entry<Path, byte[]> e : originals.entrySet()) {
        Files.write(e.getKey(), e.getValue());
      }
    }
  }

  private static byte[] hostile(String original, RandomGenerator r) {
    int kind = r.nextInt(20);
    if (kind == 0) { // bytes that are not UTF-8
      byte[] b = new byte[r.nextInt(200)];
      r.nextBytes(b);
      return b;
    }
    if (kind == 1) { // over the read cap
      byte[] b = new byte[HostileText.ONE_MIB + 1 + r.nextInt(4096)];
      java.util.Arrays.fill(b, (byte) '9');
      return b;
    }
    if (kind == 2) {
      return HostileText.withMibLine(original, r).getBytes(StandardCharsets.UTF_8);
    }
    return HostileText.mutate(original, r).getBytes(StandardCharsets.UTF_8);
  }

  private static void render(Analysis a) throws IOException {
    StringWriter json = new StringWriter();
    JsonReportRenderer.render(a, json);
    assertTrue(JSON.readTree(json.toString()).isObject(), "the JSON report stays valid JSON");
    TextReportRenderer.render(a, new StringWriter());
    SelfStats self = new SelfStats("fuzz", 1, 0,
        new HistogramSnapshot(List.of(Double.POSITIVE_INFINITY), List.of(1L), 1, 0.01), 0, Map.of(), Map.of(),
        OptionalDouble.empty(), false, OptionalDouble.of(1), a.snapshot().scan().cgroupsRead(), Map.of(), 15);
    Exposition e = Exposition.render(PrometheusRenderer.families(Optional.of(a), self,
        new ExportOptions(3, List.of(), List.of(), Integer.MAX_VALUE)));
    assertFalse(e.openMetrics().isEmpty());
  }
}
