package io.cgwatch.bench;

import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.cgroupfs.SlowTierCarry;
import io.cgwatch.model.HostSnapshot;
import java.time.Clock;
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
 * One full scan of a synthetic host root (walk, read, parse into a {@link HostSnapshot}), the work the poller does
 * every interval. With {@code -prof gc}, {@code gc.alloc.rate.norm} divided by the tree's cgroups is the garbage
 * per scan per cgroup. The wall time is compared with the C floor by {@code bench/run.sh}, not here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class ScanBenchmark {
  @Param({"v2-10000"})
  public String tree;

  /** {@code all}: every tier (diagnose, and serve's every Nth scan); {@code fast}: serve's other scans. */
  @Param({"all", "fast"})
  public String tiers;

  /** {@code nio}: the reader's own file access; {@code native}: serve's ({@code NativeControlFiles}). */
  @Param({"nio", "native"})
  public String reader;

  private HostRoots roots;
  private ScanOptions options = ScanOptions.DEFAULTS;
  private HostSnapshot full;
  private CgroupScanner scanner;
  private final Clock clock = Clock.systemUTC();

  @Setup
  public void setUp() {
    scanner = new CgroupScanner(BenchFiles.of(reader));
    roots = HostRoots.of(BenchTrees.tree(tree));
    full = scanner.scan(roots, ScanOptions.DEFAULTS, clock);
    if (tiers.equals("fast")) {
      options = ScanOptions.DEFAULTS.withSlowTierCarried(SlowTierCarry.keys(full));
    }
  }

  @Benchmark
  public HostSnapshot scan() {
    HostSnapshot s = scanner.scan(roots, options, clock);
    return tiers.equals("fast") ? SlowTierCarry.carry(full, s) : s;
  }
}
