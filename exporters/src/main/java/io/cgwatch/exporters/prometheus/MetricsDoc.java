package io.cgwatch.exporters.prometheus;

/** Renders {@code docs/metrics.md} from the {@link MetricCatalog}; a test keeps the file in step with the code. */
public final class MetricsDoc {
  private MetricsDoc() {}

  public static String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Metrics exported by `cgwatch serve`\n\n")
        .append("Generated from `exporters/src/main/java/io/cgwatch/exporters/prometheus/MetricCatalog.java`; ")
        .append("`MetricsDocTest` fails when this file is out of date (regenerate with `mvn -B verify ")
        .append("-Dgolden.update=true`).\n\n")
        .append("Labels: `hierarchy` is `unified` for cgroup v2 or the v1 controller list (`memory`); `cgroup` is ")
        .append("the path relative to the hierarchy's mount, `/` for its root; `parent` is the ancestor at ")
        .append("`--max-depth`, where lifecycle is summed. A value the kernel does not provide, and an unlimited ")
        .append("limit, produce no sample. No sample carries a timestamp. When the last successful scan is older ")
        .append("than 3 intervals, only the agent's own series are exported and `cgwatch_up` is 0.\n\n")
        .append("| metric | type | labels | meaning |\n|---|---|---|---|\n");
    for (MetricCatalog m : MetricCatalog.values()) {
      sb.append("| `").append(m.exposedName()).append("` | ").append(m.type().name().toLowerCase(java.util.Locale.ROOT))
          .append(" | ").append(m.labels().isEmpty() ? "" : "`" + String.join("`, `", m.labels()) + "`")
          .append(" | ").append(m.help().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }

  /**
   * The catalog plus the agent's own process and JVM families ({@code serve} adds them at each scan), from the
   * collectors themselves so names, types and HELP are theirs.
   */
  public static String render(java.util.List<io.prometheus.client.Collector.MetricFamilySamples> runtime) {
    StringBuilder sb = new StringBuilder(render());
    sb.append("\n## The agent's own process and JVM\n\n")
        .append("`serve` also exports the self-metrics every Prometheus exporter has, from the Prometheus Java ")
        .append("client's hotspot collectors (simpleclient_hotspot), read at each scan. `process_*` come from ")
        .append("`/proc/self` (Linux only). `diagnose --format prometheus` does not include them: they would ")
        .append("describe a process that has exited.\n\n")
        .append("| metric | type | labels | meaning |\n|---|---|---|---|\n");
    java.util.List<io.prometheus.client.Collector.MetricFamilySamples> sorted = new java.util.ArrayList<>(runtime);
    sorted.sort(java.util.Comparator.comparing(f -> f.name));
    for (io.prometheus.client.Collector.MetricFamilySamples f : sorted) {
      java.util.Set<String> labels = new java.util.LinkedHashSet<>();
      f.samples.forEach(x -> labels.addAll(x.labelNames));
      labels.remove("le");
      labels.remove("quantile");
      String type = f.type.name().toLowerCase(java.util.Locale.ROOT);
      String name = f.type == io.prometheus.client.Collector.Type.COUNTER ? f.name + "_total"
          : f.type == io.prometheus.client.Collector.Type.INFO ? f.name + "_info" : f.name;
      sb.append("| `").append(name).append("` | ").append(type).append(" | ")
          .append(labels.isEmpty() ? "" : "`" + String.join("`, `", labels) + "`").append(" | ")
          .append(f.help.replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }
}
