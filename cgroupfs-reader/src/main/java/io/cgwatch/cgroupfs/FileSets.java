package io.cgwatch.cgroupfs;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The immutable file-name set of a directory listing, shared between directories that list the same names in
 * the same order. Most directories of a hierarchy hold the same control files (every leaf, every parent), and
 * the kernel lists a directory in a fixed order of its names, so the set of the last few listings usually
 * matches the next one and the scan builds no array or set for it (issue 16). Thread-safe: entries are
 * immutable, a lost race only builds a set once more.
 */
final class FileSets {
  /** Layouts seen lately (the root, parents, leaves, per hierarchy): a few suffice. */
  private static final int LAYOUTS = 8;
  private static final AtomicReferenceArray<Layout> RECENT = new AtomicReferenceArray<>(LAYOUTS);
  private static final AtomicInteger NEXT_SLOT = new AtomicInteger();

  /** A listing's names in order, and the set built from them. */
  private record Layout(String[] names, Set<String> set) {
    boolean listedAs(List<String> files) {
      if (names.length != files.size()) {
        return false;
      }
      for (int i = 0; i < names.length; i++) {
        if (!names[i].equals(files.get(i))) {
          return false;
        }
      }
      return true;
    }
  }

  private FileSets() {}

  /** {@code files} as an immutable set: a recent equal one, or a new one remembered for the next listings. */
  static Set<String> of(List<String> files) {
    for (int slot = 0; slot < LAYOUTS; slot++) {
      Layout l = RECENT.get(slot);
      if (l != null && l.listedAs(files)) {
        return l.set;
      }
    }
    String[] names = files.toArray(String[]::new);
    Set<String> set = build(names, files);
    RECENT.set(Math.floorMod(NEXT_SLOT.getAndIncrement(), LAYOUTS), new Layout(names, set));
    return set;
  }

  /**
   * Built straight from the array: {@code Set.copyOf} of a list goes through a HashSet first. Names can repeat
   * only when two that are not valid in the file-name encoding decode alike; those take the deduplicating copy.
   */
  private static Set<String> build(String[] names, List<String> files) {
    try {
      return Set.of(names);
    } catch (IllegalArgumentException repeated) {
      return Set.copyOf(files);
    }
  }
}
