package io.cgwatch.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The log lines are the ones Jackson wrote before {@link JsonLog} stopped loading it for the types the agent logs:
 * each line is compared byte for byte with Jackson's {@code ObjectMapper} on the same fields, hostile cgroup names,
 * every control character, odd doubles and types only Jackson knows included.
 */
class JsonLogTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();
  private static final Instant AT = Instant.parse("2026-12-05T23:59:58.123456789Z");

  private static String logged(Map<String, ?> fields) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    new JsonLog(out, Clock.fixed(AT, ZoneOffset.UTC)).warn("a message \"quoted\"\n", fields);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String jackson(Map<String, ?> fields) throws Exception {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("ts", AT.toString());
    line.put("level", "warn");
    line.put("msg", "a message \"quoted\"\n");
    line.putAll(fields);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try {
      out.println(JACKSON.writeValueAsString(line));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) { // what JsonLog wrote with Jackson alone
      out.println("{\"level\":\"error\",\"msg\":\"unloggable event\"}");
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static void sameAsJackson(Map<String, ?> fields) throws Exception {
    assertEquals(jackson(fields), logged(fields));
  }

  @Test
  void everyCharacterOfAnUntrustedNameIsEscapedAsJacksonDoes() throws Exception {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x100; c++) {
      all.append(c);
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("path", "/sys/fs/cgroup/evil\n# HELP x\"}\u202e" + all);
    f.put("unicode", "\u2028\u2029 \uD83D\uDE00 é \u007F \uFFFF");
    f.put("lone surrogates", "\uD800 x \uDC00");
    f.put("key with \"quotes\"\t", "\\");
    sameAsJackson(f);
  }

  @Test
  void numbersBooleansNullsAndNestingAreWrittenAsJacksonDoes() throws Exception {
    Map<String, Object> caps = new LinkedHashMap<>();
    caps.put("psi", true);
    caps.put("reparents_page_cache", null);
    caps.put("kernel_cgroup_parameters", List.of("cgroup.memory=nokmem", "cgroup_no_v1=all"));
    caps.put("empty", List.of());
    caps.put("nested", Map.of());
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("capabilities", caps);
    f.put("hierarchies", List.of("unified v2 at /sys/fs/cgroup"));
    f.put("set", Set.of(3L));
    f.put("int", Integer.MIN_VALUE);
    f.put("long", Long.MIN_VALUE);
    f.put("short", (short) -7);
    f.put("byte", (byte) 5);
    f.put("no", false);
    f.put("scan_seconds", 7.655208737);
    f.put("interval_seconds", 15.0);
    f.put("float", 0.1f);
    f.put("specials", List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
        Double.MIN_VALUE, Double.MAX_VALUE, 1e-7, 1e21, 123456789012345678.0, Float.NaN, Float.MIN_VALUE));
    sameAsJackson(f);
  }

  @Test
  void randomDoublesAndFloatsAreWrittenAsJacksonDoes() throws Exception {
    Random r = new Random(16);
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      values.add(Double.longBitsToDouble(r.nextLong()));
      values.add(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
      values.add(Float.intBitsToFloat(r.nextInt()));
    }
    sameAsJackson(Map.of("values", values));
  }

  /** A type the writer does not know goes to Jackson, with Jackson's own rules. */
  record Alert(String name, double value) {}

  @Test
  void otherTypesAreLeftToJackson() throws Exception {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("record", new Alert("x\n", 1.5));
    sameAsJackson(f);
    f.put("optional", Optional.of("y")); // Jackson refuses it: the line says the event could not be logged
    assertEquals("{\"level\":\"error\",\"msg\":\"unloggable event\"}\n", logged(f));
    sameAsJackson(Map.of("number keys", Map.of(1, "one")));
    sameAsJackson(Map.of("a char", 'c', "a big number", new java.math.BigDecimal("1E+400")));
  }
}
