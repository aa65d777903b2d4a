package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The harness itself: it runs every case, fails loudly with what a developer needs, and shrinks text. */
class PropertyTest {
  @Test
  void runsEveryCaseAndPassesWhenThePropertyHolds() {
    AtomicInteger ran = new AtomicInteger();
    Property.check("lengths are non-negative", 500, 42L, r -> Generators.anyChars(r, 50),
        s -> {
          ran.incrementAndGet();
          assertTrue(s.length() >= 0);
        });
    assertEquals(500, ran.get());
  }

  @Test
  void aFailureNamesThePropertySeedCaseAndEscapedInput() {
    AssertionError e = assertThrows(AssertionError.class, () -> Property.check("no NUL byte", 10_000, 7L,
        r -> Generators.charsFrom(r, "ab\u0000", 0, 40), s -> assertFalse(s.contains("\u0000"), "has a NUL")));
    String m = e.getMessage();
    assertTrue(m.startsWith("property 'no NUL byte' failed at case "), m);
    assertTrue(m.contains("seed 0x7") && m.contains("-Dreliability.seed=0x7 -Dreliability.case="), m);
    assertTrue(m.contains("\\u0000"), "the NUL is shown escaped: " + m);
    assertFalse(m.chars().anyMatch(c -> c < 0x20 && c != '\n'), "no raw control character: " + m);
    assertTrue(e.getCause() instanceof AssertionError, "the original failure is the cause");
  }

  @Test
  void theSameSeedFindsTheSameCaseAndAnotherSeedOtherInputs() {
    List<String> a = Property.sample(100, 1L, r -> Generators.anyChars(r, 20));
    assertEquals(a, Property.sample(100, 1L, r -> Generators.anyChars(r, 20)));
    assertNotEquals(a, Property.sample(100, 2L, r -> Generators.anyChars(r, 20)));
    // Case n depends on (seed, n) only: rerunning one case needs none before it.
    assertEquals(a.get(57), Generators.anyChars(Property.randomFor(1L, 57), 20));
  }

  @Test
  void aFailingTextIsShrunkToAShortPrefixThatStillFails() {
    String input = "x".repeat(1000) + "BOOM" + "y".repeat(5000);
    AssertionError e = assertThrows(AssertionError.class, () -> Property.check("no BOOM", 1, 3L, r -> input,
        s -> assertFalse(s.contains("BOOM"), "BOOM")));
    assertTrue(e.getMessage().contains("shortest failing prefix (1004 of 6004 chars)"), e.getMessage());
  }

  @Test
  void aHangIsReportedWithItsInputAndNotShrunk() throws Exception {
    List<String> tried = new ArrayList<>();
    AssertionError e = assertThrows(AssertionError.class, () -> Property.check("finishes", 1, 3L, r -> "loop",
        s -> {
          tried.add(s);
          // A 1 s bound on a case that runs 3 s and ignores interrupts, as a parser stuck in a loop would.
          NoHang.run("stuck on " + s, 1, () -> {
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) {
              try {
                Thread.sleep(50);
              } catch (InterruptedException ignored) {
                // a stuck parser does not look at interrupts either
              }
            }
            return null;
          });
        }));
    assertTrue(e.getCause() instanceof NoHang.HangError, e.getMessage());
    assertTrue(e.getMessage().contains("\"loop\"") && e.getMessage().contains("a hang"), e.getMessage());
    assertEquals(List.of("loop"), tried, "a hang is not retried");
    assertEquals(1, (Integer) NoHang.run("after a hang", () -> 1), "the next case gets a fresh worker");
  }

  @Test
  void edgeCasesAreMixedIn() {
    List<Integer> values = Property.sample(2000, 9L,
        Generators.withEdgeCases(List.of(-1), r -> r.nextInt(100)));
    long edges = values.stream().filter(v -> v == -1).count();
    assertTrue(edges > 50 && edges < 200, "about one in 20 of 2,000 values: " + edges);
  }

  @Test
  void generatorsStayInTheirBounds() {
    for (String s : Property.sample(2000, 5L, r -> Generators.charsFrom(r, "ab", 1, 24))) {
      assertTrue(s.length() >= 1 && s.length() <= 24 && s.matches("[ab]+"), s);
    }
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 2000; i++) {
      assertTrue(Generators.anyChars(r, 300).length() <= 300);
    }
  }
}
