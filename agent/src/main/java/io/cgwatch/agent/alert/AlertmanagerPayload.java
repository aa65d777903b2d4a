package io.cgwatch.agent.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cgwatch.model.AlertStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What {@link AlertmanagerSink} sends: alerts and batches in Alertmanager's API v2 shape. Pure. */
final class AlertmanagerPayload {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertmanagerPayload() {}

  /** One alert as Alertmanager's API v2 takes it, labelled with this host's {@code instance}. */
  static Alert alert(AlertStatus a, String instance, Instant endsAt) {
    Map<String, String> labels = new LinkedHashMap<>();
    putNonEmpty(labels, "alertname", a.name());
    putNonEmpty(labels, "severity", a.severity());
    putNonEmpty(labels, "instance", instance);
    putNonEmpty(labels, "hierarchy", a.hierarchy());
    putNonEmpty(labels, "cgroup", a.cgroup());
    Map<String, String> annotations = new LinkedHashMap<>();
    putNonEmpty(annotations, "summary", a.summary());
    putNonEmpty(annotations, "description", a.description());
    return new Alert(labels, annotations, a.activeSince(), endsAt, "resolved".equals(a.state()));
  }

  /** An empty label is no label, in Prometheus and Alertmanager alike. */
  private static void putNonEmpty(Map<String, String> m, String key, String value) {
    if (value != null && !value.isEmpty()) {
      m.put(key, value);
    }
  }

  private static String rfc3339(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  /** One alert as sent; labels identify it. */
  record Alert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt,
      Instant endsAt, boolean resolved) {

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("labels", labels);
      m.put("annotations", annotations);
      if (startsAt != null) {
        m.put("startsAt", rfc3339(startsAt));
      }
      m.put("endsAt", rfc3339(endsAt));
      return m;
    }
  }

  /** The alerts of one evaluation (and resolved ones carried along from undelivered batches). */
  record Batch(List<Alert> alerts) {

    /**
     * This batch with the resolved alerts of an older one that this one does not mention (a newer state wins) and
     * that still matter (resolved after {@code notBefore}).
     */
    Batch absorb(Batch older, Instant notBefore) {
      if (older == null) {
        return this;
      }
      List<Alert> out = new ArrayList<>(alerts);
      Set<Map<String, String>> seen = new HashSet<>();
      alerts.forEach(a -> seen.add(a.labels()));
      int carried = 0;
      for (Alert a : older.alerts()) {
        if (a.resolved() && a.endsAt().isAfter(notBefore) && carried < AlertmanagerSink.MAX_CARRIED && seen.add(a.labels())) {
          out.add(a);
          carried++;
        }
      }
      return out.size() == alerts.size() ? this : new Batch(List.copyOf(out));
    }

    boolean isEmpty() {
      return alerts.isEmpty();
    }

    byte[] json() throws JsonProcessingException {
      return JSON.writeValueAsBytes(alerts.stream().map(Alert::json).toList());
    }
  }
}
