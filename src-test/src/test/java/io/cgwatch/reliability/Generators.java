package io.cgwatch.reliability;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Plain-Java generators for {@link Property}: what the fuzz tests need and nothing more. Lengths lean short
 * (half the values are at most 16 long) because short inputs hit boundaries most often; edge cases are mixed in
 * by {@link #withEdgeCases}.
 */
public final class Generators {
  /** One value in this many is an edge case: 150 of a property's 3,000 cases, the rest stay random. */
  static final int EDGE_CASE_ONE_IN = 20;

  private Generators() {}

  /** A length in [min, max], short half of the time. */
  public static int length(SplittableRandom r, int min, int max) {
    int upper = r.nextBoolean() ? Math.min(max, min + 16) : max;
    return min + r.nextInt(upper - min + 1);
  }

  /** Any UTF-16 code units, lone surrogate halves and U+0000 included, up to {@code maxLength}. */
  public static String anyChars(SplittableRandom r, int maxLength) {
    char[] c = new char[length(r, 0, maxLength)];
    for (int i = 0; i < c.length; i++) {
      c[i] = (char) r.nextInt(0x10000);
    }
    return new String(c);
  }

  /** Characters from {@code alphabet}, between {@code minLength} and {@code maxLength} long. */
  public static String charsFrom(SplittableRandom r, String alphabet, int minLength, int maxLength) {
    char[] c = new char[length(r, minLength, maxLength)];
    for (int i = 0; i < c.length; i++) {
      c[i] = alphabet.charAt(r.nextInt(alphabet.length()));
    }
    return new String(c);
  }

  /** Random bytes decoded as UTF-8 the way the reader decodes a file (malformed sequences become U+FFFD). */
  public static String bytesAsUtf8(SplittableRandom r, int maxLength) {
    byte[] b = new byte[length(r, 0, maxLength)];
    r.nextBytes(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** An element of {@code values}. */
  public static <T> T oneOf(SplittableRandom r, List<T> values) {
    return values.get(r.nextInt(values.size()));
  }

  /** One of {@code generators}, chosen with the paired weight. */
  public static <T> Function<SplittableRandom, T> frequency(List<Weighted<T>> generators) {
    int total = generators.stream().mapToInt(Weighted::weight).sum();
    return r -> {
      int pick = r.nextInt(total);
      for (Weighted<T> w : generators) {
        pick -= w.weight();
        if (pick < 0) {
          return w.generator().apply(r);
        }
      }
      throw new IllegalStateException("weights sum to " + total);
    };
  }

  /** A generator and its weight for {@link #frequency}. */
  public record Weighted<T>(int weight, Function<SplittableRandom, T> generator) {
    public static <T> Weighted<T> of(int weight, Function<SplittableRandom, T> generator) {
      return new Weighted<>(weight, generator);
    }
  }

  /** {@code generator}, except that one value in {@link #EDGE_CASE_ONE_IN} is one of {@code edgeCases}. */
  public static <T> Function<SplittableRandom, T> withEdgeCases(List<T> edgeCases,
      Function<SplittableRandom, T> generator) {
    return r -> r.nextInt(EDGE_CASE_ONE_IN) == 0 ? oneOf(r, edgeCases) : generator.apply(r);
  }
}
