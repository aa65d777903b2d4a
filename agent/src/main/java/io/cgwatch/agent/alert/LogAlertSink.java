package io.cgwatch.agent.alert;

import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.model.AlertStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One JSON line per alert state change on stderr. */
public final class LogAlertSink implements AlertSink {
  private final JsonLog log;

  public LogAlertSink(JsonLog log) {
    this.log = log;
  }

  @Override
  public void deliver(List<AlertStatus> active, List<AlertStatus> changes) {
    for (AlertStatus a : changes) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("alertname", a.name());
      f.put("severity", a.severity());
      f.put("state", a.state());
      f.put("hierarchy", a.hierarchy());
      f.put("cgroup", a.cgroup());
      f.put("value", a.value());
      f.put("threshold", a.threshold());
      f.put("summary", a.summary());
      if (a.state().equals("firing")) {
        f.put("description", a.description());
      }
      if (a.state().equals("firing") || a.state().equals("resolved")) {
        log.warn("alert " + a.state(), f);
      } else {
        log.info("alert " + a.state(), f);
      }
    }
  }
}
