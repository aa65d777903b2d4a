package io.cgwatch.exporters;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.Analyzer;
import io.cgwatch.agent.lifecycle.TrackerSettings;
import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.exporters.prometheus.ExportOptions;
import io.cgwatch.exporters.prometheus.Exposition;
import io.cgwatch.exporters.prometheus.HistogramSnapshot;
import io.cgwatch.exporters.prometheus.PrometheusRenderer;
import io.cgwatch.exporters.prometheus.SelfStats;
import io.cgwatch.fixtures.HostTree;
import io.cgwatch.model.Analysis;
import io.cgwatch.support.Fixtures;
import io.cgwatch.support.Golden;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The exposition of each fixture host, against {@code fixtures/golden/metrics-<host>.prom}. */
class ExpositionGoldenTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  static final SelfStats SELF = new SelfStats("test", 2, 0,
      new HistogramSnapshot(List.of(1.0, Double.POSITIVE_INFINITY), List.of(2L, 2L), 2, 0.05), 0, Map.of(),
      Map.of("memory.stat", new HistogramSnapshot(List.of(0.001, Double.POSITIVE_INFINITY), List.of(3L, 3L), 3,
          0.0012)), OptionalDouble.of(0.0004), false, OptionalDouble.of(1764072000.0), 6, Map.of(), 15);

  static List<String> hosts() {
    return Fixtures.hostNames();
  }

  static Analysis analyzeTwice(Path root) {
    Analyzer analyzer = new Analyzer(CLOCK, TrackerSettings.DEFAULTS, Duration.ofHours(1));
    CgroupScanner scanner = new CgroupScanner();
    analyzer.analyze(scanner.scan(HostRoots.of(root), ScanOptions.DEFAULTS, CLOCK));
    return analyzer.analyze(scanner.scan(HostRoots.of(root), ScanOptions.DEFAULTS, CLOCK));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void exposition(String host) {
    Exposition e = Exposition.render(PrometheusRenderer.families(Optional.of(analyzeTwice(Fixtures.host(host))),
        SELF, ExportOptions.DEFAULTS));
    Golden.assertMatches("metrics-" + host + ".prom", e.text());
    assertTrue(e.openMetrics().endsWith("# EOF\n"));
  }

  @Test
  void hostileCgroupNamesCannotInjectSeriesOrLabels(@TempDir Path tmp) {
    HostTree t = HostTree.unified(tmp);
    t.cgroup("/").file("cgroup.stat", "nr_descendants 2\nnr_dying_descendants 1\n");
    t.cgroup("/a\",evil=\"1").file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 1\n");
    t.cgroup("/line\nbreak} 666\ncgwatch_up 0").file("cgroup.stat", "nr_descendants 0\nnr_dying_descendants 0\n");
    String text = Exposition.render(PrometheusRenderer.families(Optional.of(analyzeTwice(tmp)), SELF,
        ExportOptions.DEFAULTS)).text();
    assertTrue(text.contains("cgroup=\"/a\\\",evil=\\\"1\""), text);
    assertTrue(text.contains("cgroup=\"/line\\nbreak} 666\\ncgwatch_up 0\""), text);
    assertFalse(text.lines().anyMatch(l -> l.startsWith("cgwatch_up 0")), "no injected sample line");
    assertFalse(text.lines().anyMatch(l -> l.startsWith("break")), "no line starts inside a label value");
  }
}
