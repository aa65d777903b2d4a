package io.cgwatch.exporters.prometheus;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Samples of one catalog metric, built in order; label values are checked against the catalog's labels. */
final class Family {
  private final MetricCatalog metric;
  private final List<Sample> samples = new ArrayList<>();

  Family(MetricCatalog metric) {
    this.metric = metric;
  }

  Family add(double value, String... labelValues) {
    check(labelValues);
    samples.add(new Sample(metric.exposedName(), metric.labels(), Arrays.asList(labelValues), value));
    return this;
  }

  Family histogram(HistogramSnapshot h, String... labelValues) {
    check(labelValues);
    List<String> names = new ArrayList<>(metric.labels());
    names.add("le");
    for (int i = 0; i < h.bounds().size(); i++) {
      List<String> values = new ArrayList<>(Arrays.asList(labelValues));
      values.add(Collector.doubleToGoString(h.bounds().get(i)));
      samples.add(new Sample(metric.metricName() + "_bucket", names, values, h.cumulativeCounts().get(i)));
    }
    samples.add(new Sample(metric.metricName() + "_count", metric.labels(), Arrays.asList(labelValues), h.count()));
    samples.add(new Sample(metric.metricName() + "_sum", metric.labels(), Arrays.asList(labelValues), h.sum()));
    return this;
  }

  boolean isEmpty() {
    return samples.isEmpty();
  }

  MetricFamilySamples build() {
    return new MetricFamilySamples(metric.metricName(), metric.type(), metric.help(), samples);
  }

  private void check(String[] labelValues) {
    if (labelValues.length != metric.labels().size()) {
      throw new IllegalArgumentException(metric.metricName() + " takes labels " + metric.labels());
    }
  }
}
