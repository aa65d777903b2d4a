package io.cgwatch.bench;

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
import io.cgwatch.model.Analysis;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rendering the exposition of one analysed snapshot, as the poller does once per scan (families, text and
 * OpenMetrics, both gzipped): at the default cardinality ({@code --max-cgroups 2000}) and with every cgroup
 * exported. A scrape does none of this; see {@link ScrapeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class RenderBenchmark {
  static final SelfStats SELF = new SelfStats("bench", 1, 0,
      new HistogramSnapshot(List.of(1.0, Double.POSITIVE_INFINITY), List.of(1L, 1L), 1, 0.5), 0, Map.of(), Map.of(),
      OptionalDouble.empty(), false, OptionalDouble.of(1.7e9), 10_000, Map.of(), 15);

  @Param({"v2-10000"})
  public String tree;

  /** {@code default}: --max-cgroups 2000; {@code all}: every cgroup gets its series. */
  @Param({"default", "all"})
  public String cardinality;

  private Optional<Analysis> analysis;
  private ExportOptions export;

  @Setup
  public void setUp() {
    Clock clock = Clock.systemUTC();
    Analyzer analyzer = new Analyzer(clock, TrackerSettings.DEFAULTS, Duration.ofHours(1));
    analysis = Optional.of(analyzer.analyze(new CgroupScanner().scan(HostRoots.of(BenchTrees.tree(tree)),
        ScanOptions.DEFAULTS, clock)));
    export = exportOptions(cardinality);
  }

  static ExportOptions exportOptions(String cardinality) {
    return switch (cardinality) {
      case "default" -> ExportOptions.DEFAULTS;
      case "all" -> new ExportOptions(ExportOptions.DEFAULTS.maxDepth(), List.of(), List.of(), Integer.MAX_VALUE);
      default -> throw new IllegalArgumentException("cardinality: default or all, not " + cardinality);
    };
  }

  @Benchmark
  public Exposition render() {
    return Exposition.render(PrometheusRenderer.families(analysis, SELF, export));
  }
}
