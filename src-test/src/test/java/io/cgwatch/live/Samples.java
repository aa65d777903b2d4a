package io.cgwatch.live;

import io.cgwatch.support.ExpositionParser;
import io.cgwatch.support.ExpositionParser.Sample;
import java.util.List;
import java.util.Map;

/** The samples of one {@code /metrics} exposition (parsed strictly by {@link ExpositionParser}), looked up by label. */
record Samples(List<Sample> all) {
  static Samples parse(String text) {
    return new Samples(ExpositionParser.parse(text));
  }

  /** The one sample of {@code name} whose labels include {@code match}; NaN when there is none. */
  double value(String name, Map<String, String> match) {
    List<Sample> found = all.stream().filter(s -> s.name().equals(name)
        && s.labels().entrySet().containsAll(match.entrySet())).toList();
    if (found.size() > 1) {
      throw new IllegalStateException(found.size() + " samples of " + name + " match " + match);
    }
    return found.isEmpty() ? Double.NaN : found.get(0).number();
  }

  /** The sum over every sample of {@code name} (0 when there is none). */
  double sum(String name) {
    return all.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::number).sum();
  }
}
