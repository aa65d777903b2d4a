package io.cgwatch.cgroupfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A directory's file set, shared with recent directories that listed the same names (issue 16), is always the
 * set of its own listing: a near-identical listing (same size, one name different; same names in another
 * order) never gets another directory's set, so the scan never reads a file a cgroup does not have or skips one
 * it has.
 */
class FileSetsTest {
  private static final List<String> LEAF = List.of("cgroup.events", "cgroup.stat", "memory.current", "memory.max",
      "memory.stat", "pids.max");

  @Test
  void theSameListingSharesOneSet() {
    Set<String> first = TreeWalker.fileSet(new ArrayList<>(LEAF));
    Set<String> second = TreeWalker.fileSet(new ArrayList<>(LEAF)); // new Strings, as every listing has
    assertEquals(Set.copyOf(LEAF), first);
    assertSame(first, second, "the second directory reuses the first one's set");
  }

  @Test
  void aListingThatDiffersInOneNameGetsItsOwnSet() {
    TreeWalker.fileSet(LEAF);
    List<String> other = new ArrayList<>(LEAF);
    other.set(3, "memory.swap.max"); // same size, memory.max missing
    Set<String> set = TreeWalker.fileSet(other);
    assertEquals(Set.copyOf(other), set);
    assertFalse(set.contains("memory.max"), "not the last directory's files");
    assertTrue(set.contains("memory.swap.max"));
    assertEquals(Set.copyOf(LEAF), TreeWalker.fileSet(LEAF), "and the first layout is still right");
  }

  @Test
  void sameNamesInAnotherOrderAndRepeatedNamesGiveTheListingsSet() {
    TreeWalker.fileSet(LEAF);
    List<String> reversed = new ArrayList<>(LEAF);
    java.util.Collections.reverse(reversed);
    assertEquals(Set.copyOf(LEAF), TreeWalker.fileSet(reversed));
    // Two names undecodable alike: the same String twice, deduplicated.
    List<String> repeated = List.of("memory.stat", "\uFFFD", "\uFFFD");
    assertEquals(Set.of("memory.stat", "\uFFFD"), TreeWalker.fileSet(repeated));
    assertEquals(Set.of("memory.stat", "\uFFFD"), TreeWalker.fileSet(repeated), "from the remembered layout");
    assertEquals(Set.of(), TreeWalker.fileSet(List.of()));
  }
}
