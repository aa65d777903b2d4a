package io.cgwatch.cgroupfs;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Immutable values a scan would otherwise build again for every cgroup: {@code OptionalLong}s of small counts
 * (most of a cgroup's counters are 0 or a few: {@code nr_descendants}, {@code shmem}, {@code file_dirty}, ...)
 * and the two {@code Optional<Boolean>}s of a 0/1 flag. They are value-based, so sharing one changes no
 * snapshot's {@code equals}; it only spares the garbage (issue 16: a few hundred bytes per cgroup per scan).
 */
final class SharedValues {
  /** 0 to 1023: flags, counts of descendants and controllers, and the zeros of {@code memory.stat}. */
  private static final OptionalLong[] SMALL = new OptionalLong[1024];
  static final Optional<Boolean> TRUE = Optional.of(Boolean.TRUE);
  static final Optional<Boolean> FALSE = Optional.of(Boolean.FALSE);

  static {
    for (int i = 0; i < SMALL.length; i++) {
      SMALL[i] = OptionalLong.of(i);
    }
  }

  private SharedValues() {}

  static OptionalLong optionalLong(long v) {
    return v >= 0 && v < SMALL.length ? SMALL[(int) v] : OptionalLong.of(v);
  }

  /** {@code map.get(key)}, absent when the file or the key is. */
  static OptionalLong value(Optional<Map<String, Long>> map, String key) {
    if (map.isEmpty()) {
      return OptionalLong.empty();
    }
    Long v = map.get().get(key);
    return v == null ? OptionalLong.empty() : optionalLong(v);
  }

  /** {@code key}'s value as a flag (non-zero is true), absent when the file or the key is. */
  static Optional<Boolean> flag(Optional<Map<String, Long>> map, String key) {
    if (map.isEmpty()) {
      return Optional.empty();
    }
    Long v = map.get().get(key);
    return v == null ? Optional.empty() : v != 0 ? TRUE : FALSE;
  }
}
