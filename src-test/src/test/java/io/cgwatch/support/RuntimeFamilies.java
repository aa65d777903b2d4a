package io.cgwatch.support;

import io.cgwatch.agent.serve.RuntimeMetrics;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The process_* and jvm_* families serve adds to its own (RuntimeMetrics), by name, for tests that check names. */
public final class RuntimeFamilies {
  private static final Set<String> NAMES = new RuntimeMetrics().get().stream().map(f -> f.name)
      .collect(Collectors.toUnmodifiableSet());
  private static final List<String> SUFFIXES = List.of("", "_total", "_count", "_sum", "_bucket", "_created",
      "_info");

  private RuntimeFamilies() {}

  public static List<MetricFamilySamples> families() {
    return new RuntimeMetrics().get();
  }

  /** True when a sample name belongs to one of those families (an exact family name plus a format suffix). */
  public static boolean isRuntimeSample(String sampleName) {
    for (String suffix : SUFFIXES) {
      if (sampleName.endsWith(suffix)
          && NAMES.contains(sampleName.substring(0, sampleName.length() - suffix.length()))) {
        return true;
      }
    }
    return false;
  }
}
