package io.cgwatch.agent.log;

import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line (time, level, message, fields), for log collectors. Thread-safe.
 *
 * <p>The lines are written by {@link JsonLogLine}, which knows the values the agent logs (strings, numbers, booleans,
 * null, lists and maps of them) and writes them as Jackson's {@code ObjectMapper} would, byte for byte; only a line
 * holding any other type goes through Jackson ({@link Jackson}, loaded then). So {@code serve} never loads
 * Jackson's databind (~480 classes, ~4 MB of metaspace, symbols and archive pages) only to log.
 */
public final class JsonLog {
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
    String text = JsonLogLine.write(line).orElseGet(() -> Jackson.write(line)); // escapes untrusted values
    synchronized (out) {
      out.println(text);
    }
  }

  /** Jackson for what {@link JsonLogLine} does not know; a holder class, so loaded on first use only. */
  private static final class Jackson {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
        new com.fasterxml.jackson.databind.ObjectMapper();

    static String write(Map<String, Object> line) {
      try {
        return JSON.writeValueAsString(line);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        return "{\"level\":\"error\",\"msg\":\"unloggable event\"}";
      }
    }
  }
}
