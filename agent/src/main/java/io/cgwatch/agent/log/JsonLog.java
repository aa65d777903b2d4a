package io.cgwatch.agent.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** One JSON object per line (time, level, message, fields), for log collectors. Thread-safe. */
public final class JsonLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintStream out;
  private final Clock clock;

  public JsonLog(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  public void info(String msg, Map<String, ?> fields) {
    write("info", msg, fields);
  }

  public void warn(String msg, Map<String, ?> fields) {
    write("warn", msg, fields);
  }

  public void error(String msg, Map<String, ?> fields) {
    write("error", msg, fields);
  }

  private void write(String level, String msg, Map<String, ?> fields) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("ts", clock.instant().toString());
    line.put("level", level);
    line.put("msg", msg);
    line.putAll(fields);
    try {
      String text = JSON.writeValueAsString(line); // escapes control characters in untrusted values
      synchronized (out) {
        out.println(text);
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      synchronized (out) {
        out.println("{\"level\":\"error\",\"msg\":\"unloggable event\"}");
      }
    }
  }
}
