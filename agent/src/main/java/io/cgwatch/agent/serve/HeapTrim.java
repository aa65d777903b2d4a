package io.cgwatch.agent.serve;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Gives serve's heap back between scans. A scan allocates far more than it keeps (tens of MB at 10,000 cgroups),
 * and what is alive while a young collection runs (the snapshot being built) overflows the small survivor spaces
 * into the old generation. There it stays as garbage until the old generation is full, so the heap, and the RSS,
 * settled at several times the live set (52 MB committed for ~10 MB live at 10,000 cgroups). After a cycle almost
 * everything in the old generation but the latest analysis is garbage, so a full collection then is cheap (it
 * copies only the live set) and lets the JVM shrink the heap to the launcher's {@code MaxHeapFreeRatio}.
 *
 * <p>Only when the old generation has grown well past what the last collection left: at most a few collections
 * an hour on a quiet host, none when garbage stays young. Does nothing on a JVM without a collected heap pool it
 * recognises, or with {@code -XX:+DisableExplicitGC}.
 */
final class HeapTrim {
  /** Growth below this is left alone: a full collection for a few MB is not worth its CPU. */
  static final long SLACK_BYTES = 4L << 20;

  private final MemoryPoolMXBean oldGen;

  private HeapTrim(MemoryPoolMXBean oldGen) {
    this.oldGen = oldGen;
  }

  /** The old generation of this JVM's collector (SerialGC's "Tenured Gen", the launcher's choice), if any. */
  static HeapTrim forThisJvm() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      String name = pool.getName();
      if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
          && (name.contains("Tenured") || name.contains("Old Gen"))) {
        return new HeapTrim(pool);
      }
    }
    return new HeapTrim(null);
  }

  /** Called by the poller thread after each publication. */
  void afterCycle() {
    if (oldGen == null) {
      return;
    }
    MemoryUsage afterLast = oldGen.getCollectionUsage();
    if (shouldCollect(oldGen.getUsage().getUsed(), afterLast == null ? 0 : afterLast.getUsed())) {
      System.gc(); // NOPMD: deliberate, see the class comment
    }
  }

  /**
   * True when the old generation holds more than twice what the last full collection left, plus
   * {@link #SLACK_BYTES}: then most of it is garbage.
   */
  static boolean shouldCollect(long usedNow, long usedAfterLastCollection) {
    return usedNow > 2 * usedAfterLastCollection + SLACK_BYTES;
  }
}
