package io.cgwatch.agent.serve;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.hotspot.BufferPoolsExports;
import io.prometheus.client.hotspot.ClassLoadingExports;
import io.prometheus.client.hotspot.GarbageCollectorExports;
import io.prometheus.client.hotspot.MemoryPoolsExports;
import io.prometheus.client.hotspot.StandardExports;
import io.prometheus.client.hotspot.ThreadExports;
import io.prometheus.client.hotspot.VersionInfoExports;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * The agent's own process and JVM: {@code process_*} (CPU seconds, resident memory, open and max fds, start time,
 * from /proc/self on Linux) and {@code jvm_*} (memory areas and pools, GC, threads, classes, buffer pools), the
 * self-metrics every Prometheus exporter has, from the Prometheus Java client's hotspot collectors. Read when the
 * poller publishes, so they are as old as the last scan (at most one interval), like every other series.
 * A private registry: nothing global, so tests can start several servers in one JVM.
 */
public final class RuntimeMetrics implements Supplier<List<MetricFamilySamples>> {
  private final CollectorRegistry registry = new CollectorRegistry();

  public RuntimeMetrics() {
    new StandardExports().register(registry);
    new MemoryPoolsExports().register(registry);
    new GarbageCollectorExports().register(registry);
    new ThreadExports().register(registry);
    new ClassLoadingExports().register(registry);
    new BufferPoolsExports().register(registry);
    new VersionInfoExports().register(registry);
  }

  /** Collected now; a collector that fails is left out rather than failing the publication. */
  @Override
  public List<MetricFamilySamples> get() {
    try {
      return Collections.list(registry.metricFamilySamples());
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}
