package io.cgwatch.cgroupfs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.support.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The byte parsers the scan uses ({@code parseBytes}) give exactly what the public String parsers give for the
 * UTF-8 decoding of the same bytes: the same value, or the same error word for word, for every control file of
 * every fixture host (read twice, so the second round hits the layouts and lines the first one cached), and for
 * thousands of damaged copies of them, damaged byte by byte, invalid UTF-8 included. The String parsers stay the
 * fuzzed contract ({@code ParserFuzzTest}); this ties the hot path to them.
 */
class BytesParsersTest {
  private interface StringParser {
    Object parse(String content) throws MalformedFileException;
  }

  private interface BytesParser {
    Object parse(byte[] content, int length) throws MalformedFileException;
  }

  private record Family(Set<String> files, StringParser string, BytesParser bytes) {}

  private static final List<Family> FAMILIES = List.of(
      new Family(Set.of("memory.stat", "cgroup.stat", "cgroup.events", "memory.events", "memory.events.local"),
          FlatKeyedParser::parse, FlatKeyedParser::parseBytes),
      new Family(Set.of("memory.current", "memory.peak", "memory.swap.current", "pids.current",
          "memory.usage_in_bytes"), SingleValueParser::parseLong, SingleValueParser::parseLongBytes),
      new Family(Set.of("memory.min", "memory.low", "memory.high", "memory.max", "pids.max", "memory.swap.max",
          "memory.limit_in_bytes"), LimitParser::parse, LimitParser::parseBytes),
      new Family(Set.of("memory.pressure", "cpu.pressure", "io.pressure", "irq.pressure"),
          PressureParser::parse, PressureParser::parseBytes),
      new Family(Set.of("cgroup.controllers", "cgroup.subtree_control"),
          ControllerListParser::parse, ControllerListParser::parseBytes));

  /** Bytes the damage inserts: the formats' own characters, and bytes that are not valid UTF-8 or are multi-byte. */
  private static final byte[][] DAMAGE = bytes("a", "b", "_", " ", "0", "1", "5", "9", "-", ".", "=", "\n", "\r",
      "\t", "m", "x", "max", "some ", "full ", "total=", "avg10=", "100.01", "\u00e9", "\u20ac", "\ufffd");

  @Test
  void sameOutcomeForEveryFixtureFile() throws Exception {
    int compared = 0;
    for (Family f : FAMILIES) {
      List<byte[]> contents = fixtureContents(f.files());
      assertTrue(!contents.isEmpty(), "fixture files for " + f.files());
      for (int round = 0; round < 2; round++) {
        for (byte[] c : contents) {
          assertSame(f, c);
          compared++;
        }
      }
    }
    assertTrue(compared > 100, "fixture files compared: " + compared);
  }

  @Test
  void sameOutcomeForDamagedFiles() throws Exception {
    Random random = new Random(16);
    for (Family f : FAMILIES) {
      List<byte[]> contents = fixtureContents(f.files());
      for (int i = 0; i < 3000; i++) {
        byte[] damaged = damage(contents.get(random.nextInt(contents.size())), random);
        assertSame(f, damaged);
        assertSame(f, damaged); // again, now that a new layout or line may have been learnt
      }
    }
  }

  @Test
  void bufferLongerThanTheContentIsIgnoredPastLength() throws Exception {
    byte[] buf = new byte[64];
    java.util.Arrays.fill(buf, (byte) '7');
    byte[] content = "max\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(content, 0, buf, 0, content.length);
    assertEquals(LimitParser.parse("max\n"), LimitParser.parseBytes(buf, content.length));
    assertEquals(42L, SingleValueParser.parseLongBytes("42\n77".getBytes(StandardCharsets.US_ASCII), 3));
  }

  private static void assertSame(Family f, byte[] content) {
    String decoded = new String(content, StandardCharsets.UTF_8);
    // Trailing garbage past length must not matter: the scan's buffer is reused.
    byte[] inBuffer = java.util.Arrays.copyOf(content, content.length + 8);
    java.util.Arrays.fill(inBuffer, content.length, inBuffer.length, (byte) '9');
    Object expected = outcome(() -> f.string().parse(decoded));
    Object actual = outcome(() -> f.bytes().parse(inBuffer, content.length));
    assertEquals(expected, actual, () -> f.files() + ": " + printable(decoded));
  }

  private interface Call {
    Object call() throws MalformedFileException;
  }

  private static Object outcome(Call c) {
    try {
      Object v = c.call();
      return v instanceof Map<?, ?> m ? List.copyOf(m.entrySet()) : v; // same entries in the same order
    } catch (MalformedFileException e) {
      return "malformed: " + e.getMessage();
    }
  }

  private static byte[] damage(byte[] original, Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(original);
    byte[] b = out.toByteArray();
    for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
      int at = b.length == 0 ? 0 : random.nextInt(b.length);
      ByteArrayOutputStream next = new ByteArrayOutputStream();
      switch (random.nextInt(4)) {
        case 0 -> { // replace one byte by a damage piece
          next.write(b, 0, at);
          next.writeBytes(piece(random));
          next.write(b, Math.min(at + 1, b.length), Math.max(0, b.length - at - 1));
        }
        case 1 -> { // delete one byte
          next.write(b, 0, at);
          next.write(b, Math.min(at + 1, b.length), Math.max(0, b.length - at - 1));
        }
        case 2 -> { // insert a damage piece
          next.write(b, 0, at);
          next.writeBytes(piece(random));
          next.write(b, at, b.length - at);
        }
        default -> { // a raw byte, often not valid UTF-8 where it lands
          next.write(b, 0, at);
          next.write(0x80 + random.nextInt(0x80));
          next.write(b, at, b.length - at);
        }
      }
      b = next.toByteArray();
    }
    return b;
  }

  private static byte[] piece(Random random) {
    return DAMAGE[random.nextInt(DAMAGE.length)];
  }

  private static byte[][] bytes(String... pieces) {
    byte[][] out = new byte[pieces.length][];
    for (int i = 0; i < pieces.length; i++) {
      out[i] = pieces[i].getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }

  private static String printable(String s) {
    return s.replace("\n", "\\n");
  }

  private static List<byte[]> fixtureContents(Set<String> names) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Fixtures.dir())) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p) && names.contains(p.getFileName().toString())) {
          out.add(Files.readAllBytes(p));
        }
      }
    }
    return out;
  }
}
