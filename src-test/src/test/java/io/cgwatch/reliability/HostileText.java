package io.cgwatch.reliability;

import io.cgwatch.reliability.Generators.Weighted;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * File contents a hostile or broken kernel, filesystem or bind mount could hand a parser: random text, random
 * bytes decoded the way the reader decodes them, and - most of the time - a real file of that format with a
 * few mutations (truncation, NUL bytes, numbers beyond {@code Long.MAX_VALUE}, negative and huge values,
 * duplicated lines and keys, CRLF, a missing or doubled newline, tabs, stray separators, 1 MiB lines).
 * Mutating real files reaches deep into each parser; pure noise mostly fails on the first line.
 */
final class HostileText {
  static final int ONE_MIB = 1 << 20;

  private static final String[] BAD_NUMBERS = {
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "18446744073709551615", "18446744073709551616", "99999999999999999999999999999999", "-1", "-0", "0",
    "+5", "0x10", "1e9", "NaN", "Infinity", "", "-", "00000000000000000000000001", "2147483648", "-2147483649",
    "4294967296", "1.5", "١٢٣" /* Arabic-Indic digits: Character.isDigit says yes, the kernel never prints them */
  };
  private static final String[] ODD_TEXT = {
    "\u0000", "\r", "\t", "\u000b", "\f", " ", "  ", "\n", "\n\n", "-", " - ", "=", ",", ":", "#", "\\", "\\040",
    "\\0", "\u00a0", "\u2028", "\ufeff", "\ud800", "\udfff", "\ufffd", "é", "\u0085", "max", "kB", "total=",
  };

  private HostileText() {}

  /**
   * Hostile contents for a parser whose well-formed inputs look like {@code seeds}: mostly (30 in 37) mutated
   * seeds, else any characters, random bytes, text from the formats' own alphabet, or a 1 MiB line; one value in
   * 20 is an edge case (see {@link #edgeCases}).
   */
  static Function<SplittableRandom, String> around(List<String> seeds) {
    return Generators.withEdgeCases(edgeCases(seeds), Generators.frequency(List.of(
        Weighted.of(2, r -> Generators.anyChars(r, 300)),
        Weighted.of(2, r -> Generators.bytesAsUtf8(r, 300)),
        Weighted.of(2, r -> Generators.charsFrom(r, "0123456789 -\n\t=.,:kmaxsomefulltot\r\u0000", 0, 120)),
        Weighted.of(30, r -> mutate(Generators.oneOf(r, seeds), r)),
        Weighted.of(1, r -> withMibLine(Generators.oneOf(r, seeds), r)))));
  }

  /**
   * Inputs at the boundaries: empty, each seed as is, without its final newline, with CRLF, doubled; each odd
   * character and each bad number alone and on a line.
   */
  static List<String> edgeCases(List<String> seeds) {
    List<String> edges = new ArrayList<>(List.of(""));
    for (String seed : seeds) {
      edges.addAll(List.of(seed, seed.strip(), seed.replace("\n", "\r\n"), seed + seed));
    }
    for (String odd : ODD_TEXT) {
      edges.addAll(List.of(odd, odd + "\n"));
    }
    for (String number : BAD_NUMBERS) {
      edges.addAll(List.of(number, number + "\n"));
    }
    return List.copyOf(edges);
  }

  /** One to four mutations of a well-formed file. */
  static String mutate(String seed, RandomGenerator r) {
    String s = seed;
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      s = mutateOnce(s, r);
    }
    return s;
  }

  private static String mutateOnce(String s, RandomGenerator r) {
    int at = s.isEmpty() ? 0 : r.nextInt(s.length() + 1);
    switch (r.nextInt(13)) {
      case 0: // truncated read
        return s.substring(0, at);
      case 1: // NUL byte, or another odd character
        return s.substring(0, at) + ODD_TEXT[r.nextInt(ODD_TEXT.length)] + s.substring(at);
      case 2: // a number replaced by one beyond a long, negative, huge, or not a decimal at all
        return replaceNumber(s, r);
      case 3: // a line duplicated: duplicate keys, two 'some' lines, two MemTotal lines
        return duplicateLine(s, r);
      case 4: // CRLF line ends
        return s.replace("\n", "\r\n");
      case 5: // missing final newline, or extra blank lines
        return r.nextBoolean() ? s.strip() : s + "\n\n\n";
      case 6: // a random character anywhere in the BMP, surrogate halves included
        return s.substring(0, at) + (char) r.nextInt(0x10000) + s.substring(at);
      case 7: // a span deleted
        return s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + r.nextInt(12)));
      case 8: // two lines swapped
        return swapLines(s, r);
      case 9: // separators changed
        return r.nextBoolean() ? s.replace(' ', '\t') : s.replace(" ", "  ");
      case 10: // the whole file twice
        return s + s;
      case 11: // a field made long
        return s.substring(0, at) + "7".repeat(1 + r.nextInt(5000)) + s.substring(at);
      default: // a stray mountinfo separator or key=value fragment
        return s.substring(0, at) + (r.nextBoolean() ? " - " : " avg10=") + s.substring(at);
    }
  }

  private static String replaceNumber(String s, RandomGenerator r) {
    List<int[]> runs = new ArrayList<>();
    for (int i = 0; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i))) {
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          i++;
        }
        runs.add(new int[] {start, i});
      }
    }
    String bad = BAD_NUMBERS[r.nextInt(BAD_NUMBERS.length)];
    if (runs.isEmpty()) {
      return s + bad;
    }
    int[] run = runs.get(r.nextInt(runs.size()));
    return s.substring(0, run[0]) + bad + s.substring(run[1]);
  }

  private static String duplicateLine(String s, RandomGenerator r) {
    List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
    int i = r.nextInt(lines.size());
    lines.add(r.nextInt(lines.size() + 1), lines.get(i));
    return String.join("\n", lines);
  }

  private static String swapLines(String s, RandomGenerator r) {
    List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
    int i = r.nextInt(lines.size());
    int j = r.nextInt(lines.size());
    String t = lines.get(i);
    lines.set(i, lines.get(j));
    lines.set(j, t);
    return String.join("\n", lines);
  }

  /** A 1 MiB line: the reader's cap, so the largest content a parser can be handed. */
  static String withMibLine(String seed, RandomGenerator r) {
    String first = seed.isEmpty() ? "" : seed.split("\n", -1)[0];
    char fill = "9a -=\t".charAt(r.nextInt(6));
    StringBuilder sb = new StringBuilder(ONE_MIB + 16).append(first);
    while (sb.length() < ONE_MIB - 1) {
      sb.append(fill);
    }
    return sb.append('\n').append(seed).substring(0, r.nextBoolean() ? ONE_MIB : sb.length());
  }
}
