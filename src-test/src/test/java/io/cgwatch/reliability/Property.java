package io.cgwatch.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The team's property harness, plain JUnit Jupiter: a test method calls {@link #check} with a generator and a
 * property; the harness runs the property on {@code cases} generated inputs and fails with an AssertionError
 * that names the property, the seed, the case number and the input (escaped, see {@link HostileTextPrinter}).
 *
 * <p>Reproducible: case {@code n} is generated from its own random derived from (seed, n) only, so
 * {@code -Dreliability.seed=S -Dreliability.case=n} reruns exactly the failing case without the n before it.
 * The seed is fixed ({@link #DEFAULT_SEED}) so every build checks the same inputs; another seed explores more.
 *
 * <p>Shrinking is cheap on purpose: a failing text is retried cut to shorter prefixes (powers of two and
 * sixteenths of its length, then a bisection), and the shortest prefix that still fails is reported beside the
 * original. A hang is not shrunk: each retry would cost the {@link NoHang} bound.
 */
public final class Property {
  /** Any fixed value: a build that fails fails again with the same input. */
  public static final long DEFAULT_SEED = 0x63677761746368L; // "cgwatch"
  /** Cases per fuzz property when Maven does not say (an IDE run); the src-test pom passes reliability.tries. */
  static final int DEFAULT_TRIES = 3000;
  private static final int MAX_SHRINK_TRIES = 64;

  /** A property over one input; it fails by throwing (an assertion, or any exception it does not expect). */
  @FunctionalInterface
  public interface Body<T> {
    void accept(T input) throws Exception;
  }

  private Property() {}

  /** The seed: {@code -Dreliability.seed} (decimal or 0x-hex), else {@link #DEFAULT_SEED}. */
  public static long seed() {
    String s = System.getProperty("reliability.seed", "").strip();
    return s.isEmpty() ? DEFAULT_SEED : Long.decode(s);
  }

  /** Cases per fuzz property: {@code -Dreliability.tries} (the Maven profiles set it), else 3,000. */
  public static int tries() {
    return Integer.getInteger("reliability.tries", DEFAULT_TRIES);
  }

  /** {@link #check(String, int, long, Function, Body)} with the build's seed. */
  public static <T> void check(String name, int cases, Function<SplittableRandom, T> generator, Body<T> property) {
    check(name, cases, seed(), generator, property);
  }

  /**
   * Runs {@code property} on {@code cases} inputs from {@code generator}; returns normally when all pass. With
   * {@code -Dreliability.case=n} only case n runs.
   */
  public static <T> void check(String name, int cases, long seed, Function<SplittableRandom, T> generator,
      Body<T> property) {
    Integer only = Integer.getInteger("reliability.case");
    int first = only == null ? 0 : only;
    int last = only == null ? cases - 1 : only;
    for (int n = first; n <= last; n++) {
      T input = generator.apply(randomFor(seed, n));
      Throwable failure = failureOf(property, input);
      if (failure != null) {
        throw report(name, seed, n, input, failure, property);
      }
    }
    System.out.printf("PROPERTY %s: %d cases passed (seed 0x%x)%n", name, last - first + 1, seed);
  }

  /** Case n's own random: mixes (seed, n) so cases are independent and each can be rerun alone. */
  static SplittableRandom randomFor(long seed, int n) {
    return new SplittableRandom(new SplittableRandom(seed ^ (n * 0x9E3779B97F4A7C15L)).nextLong());
  }

  private static <T> Throwable failureOf(Body<T> property, T input) {
    try {
      property.accept(input);
      return null;
    } catch (Throwable t) { // a StackOverflowError on hostile input is a finding too, reported with the input
      return t;
    }
  }

  private static <T> AssertionError report(String name, long seed, int n, T input, Throwable failure,
      Body<T> property) {
    StringBuilder msg = new StringBuilder()
        .append("property '").append(name).append("' failed at case ").append(n)
        .append(" (seed 0x").append(Long.toHexString(seed))
        .append("; rerun only this case with -Dreliability.seed=0x").append(Long.toHexString(seed))
        .append(" -Dreliability.case=").append(n).append(")\n")
        .append("  input: ").append(show(input)).append('\n')
        .append("  failure: ").append(failure);
    if (input instanceof String text && !(failure instanceof NoHang.HangError)) {
      @SuppressWarnings("unchecked")
      Body<String> onText = (Body<String>) property;
      String shortest = shortestFailingPrefix(text, onText);
      if (shortest.length() < text.length()) {
        msg.append("\n  shortest failing prefix (").append(shortest.length()).append(" of ").append(text.length())
            .append(" chars): ").append(HostileTextPrinter.show(shortest))
            .append("\n  its failure: ").append(failureOf(onText, shortest));
      } else {
        msg.append("\n  no shorter prefix fails");
      }
    }
    return new AssertionError(msg.toString(), failure);
  }

  /** A printable input: text escaped and cut; anything else by its toString, escaped the same way. */
  static String show(Object input) {
    return HostileTextPrinter.show(String.valueOf(input));
  }

  /**
   * The shortest prefix of {@code text} that still fails among at most {@link #MAX_SHRINK_TRIES} tries:
   * candidate lengths in ascending order, then a bisection between the longest passing candidate and the first
   * failing one. Failure is not monotonic in length, so this is a short failing input, not the shortest.
   */
  static String shortestFailingPrefix(String text, Body<String> property) {
    TreeSet<Integer> lengths = new TreeSet<>();
    for (int len = 0; len < text.length(); len = len == 0 ? 1 : len * 2) {
      lengths.add(len);
    }
    for (int k = 1; k < 16; k++) {
      lengths.add((int) ((long) text.length() * k / 16));
    }
    lengths.add(text.length() - 1);
    lengths.removeIf(len -> len < 0 || len >= text.length());
    int tries = 0;
    int passing = -1;
    int failing = text.length();
    for (int len : new ArrayList<>(lengths)) {
      if (tries++ >= MAX_SHRINK_TRIES) {
        break;
      }
      if (failureOf(property, text.substring(0, len)) != null) {
        failing = len;
        break;
      }
      passing = len;
    }
    while (failing - passing > 1 && tries++ < MAX_SHRINK_TRIES) {
      int mid = passing + (failing - passing) / 2;
      if (failureOf(property, text.substring(0, mid)) != null) {
        failing = mid;
      } else {
        passing = mid;
      }
    }
    return text.substring(0, failing);
  }

  /** Test hook: the inputs a generator makes for cases 0..n-1 under a seed. */
  static <T> List<T> sample(int n, long seed, Function<SplittableRandom, T> generator) {
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(generator.apply(randomFor(seed, i)));
    }
    return out;
  }
}
