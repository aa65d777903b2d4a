package io.cgwatch.cgroupfs.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cgwatch.support.Fixtures;
import java.io.IOException;
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
 * The shared-key fast path of {@link FlatKeyedParser#parse} gives exactly what the line-by-line reference gives:
 * the same map in the same order (or the same error) for every flat-keyed file of every fixture host, and the same
 * outcome, error word for word, for each of thousands of damaged copies of them.
 */
class FlatKeyedFastPathTest {
  private static final Set<String> FLAT_KEYED = Set.of("memory.stat", "cgroup.stat", "cgroup.events",
      "memory.events", "memory.events.local");

  @Test
  void sameMapsAsTheReferenceForEveryFixtureFile() throws Exception {
    List<String> contents = fixtureContents();
    assertEquals(true, contents.size() > 20, "fixture files found: " + contents.size());
    for (int round = 0; round < 2; round++) { // the second round hits the layouts the first one cached
      for (String c : contents) {
        Map<String, Long> reference;
        try {
          reference = FlatKeyedParser.parseOneByOne(c);
        } catch (MalformedFileException e) { // some fixtures are broken on purpose
          assertEquals(e.getMessage(), assertThrows(MalformedFileException.class, () -> FlatKeyedParser.parse(c))
              .getMessage());
          continue;
        }
        Map<String, Long> fast = FlatKeyedParser.parse(c);
        assertEquals(reference, fast, c);
        assertEquals(List.copyOf(reference.keySet()), List.copyOf(fast.keySet()), "sorted like the reference");
      }
    }
  }

  @Test
  void sameOutcomeAsTheReferenceForDamagedFiles() throws Exception {
    List<String> contents = fixtureContents();
    Random random = new Random(8);
    String alphabet = "ab_ 0123456789-\n\r\tx";
    for (int i = 0; i < 5000; i++) {
      StringBuilder b = new StringBuilder(contents.get(random.nextInt(contents.size())));
      for (int edits = 1 + random.nextInt(3); edits > 0 && b.length() > 0; edits--) {
        int at = random.nextInt(b.length());
        switch (random.nextInt(4)) {
          case 0 -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
          case 1 -> b.deleteCharAt(at);
          case 2 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          default -> { // repeat a line: a key twice
            int start = b.lastIndexOf("\n", at) + 1;
            int end = b.indexOf("\n", at);
            if (end > start) {
              b.insert(start, b.substring(start, end + 1));
            }
          }
        }
      }
      String damaged = b.toString();
      Map<String, Long> expected;
      try {
        expected = FlatKeyedParser.parseOneByOne(damaged);
      } catch (MalformedFileException e) {
        MalformedFileException actual = assertThrows(MalformedFileException.class,
            () -> FlatKeyedParser.parse(damaged), damaged);
        assertEquals(e.getMessage(), actual.getMessage());
        continue;
      }
      assertEquals(expected, FlatKeyedParser.parse(damaged), damaged);
    }
  }

  private static List<String> fixtureContents() throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Fixtures.dir().resolve("hosts"))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p) && FLAT_KEYED.contains(p.getFileName().toString())) {
          out.add(Files.readString(p));
        }
      }
    }
    return out;
  }
}
