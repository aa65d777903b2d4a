package io.cgwatch.agent.serve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** serve collects its old generation only when it holds mostly garbage, never for a few MB of growth. */
class HeapTrimTest {
  private static final long MB = 1L << 20;

  @Test
  void collectsWhenTheOldGenerationHoldsMostlyGarbage() {
    // 10k cgroups as measured: ~10 MB live after a full GC, 32 MB in the old generation after some cycles.
    assertTrue(HeapTrim.shouldCollect(32 * MB, 10 * MB));
    assertTrue(HeapTrim.shouldCollect(25 * MB, 0)); // never collected yet
  }

  @Test
  void leavesSmallGrowthAlone() {
    assertFalse(HeapTrim.shouldCollect(3 * MB, 0), "a small host: a few MB are not worth a full collection");
    assertFalse(HeapTrim.shouldCollect(24 * MB, 10 * MB), "at most twice the live set plus the slack");
    assertFalse(HeapTrim.shouldCollect(10 * MB, 10 * MB));
  }

  @Test
  void findsTheSerialCollectorsOldGenerationOrDoesNothing() {
    HeapTrim.forThisJvm().afterCycle(); // whatever the test JVM's collector: no exception, at most one collection
  }
}
