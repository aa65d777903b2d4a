package io.cgwatch.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable {@code Map<String, Long>} of one flat-keyed file ({@code memory.stat}, {@code cgroup.stat}, ...),
 * sorted by key, stored as one array against a {@link Keys} shared by every file with the same key lines.
 * The kernel prints the same keys in the same order for every cgroup, so 10,000 {@code memory.stat}s share one
 * set of key Strings and hold no boxed values: a {@code Long} exists only while a caller holds one from
 * {@link #get}. The array is an {@code int[]} when every value fits (most counters of most cgroups: half the
 * bytes of a {@code long[]} every scan), else a {@code long[]}; and when most values are 0 (a {@code memory.stat}
 * has dozens of idle counters, a {@code cgroup.stat} mostly zero counts), it holds only the others, with one bit
 * per key saying which (issue 16: allocation per cgroup per scan).
 */
public final class KeyedCounters extends AbstractMap<String, Long> {
  private final Keys keys;
  /**
   * The values in sorted key order, exactly one of the two arrays non-null; for a {@link #withPrefix} view, the
   * source's array, read through {@link #slots}.
   */
  private final long[] longs;
  private final int[] ints;
  /** Where key {@code i}'s value is in the array; null when it is at {@code i}. */
  private final int[] slots;
  /**
   * Null when the array has a value per key; else bit {@code i} says key {@code i}'s value is not 0, and the
   * array holds only those, in key order.
   */
  private final long[] nonZero;

  /** @param values one per key, in {@link Keys#sorted()} order; owned by this map from now on */
  public KeyedCounters(Keys keys, long[] values) {
    this(keys, requireLength(keys, values.length, values), null, null, null);
  }

  /** A map of {@code longs} or {@code ints} (never written again), read through {@code slots} and {@code nonZero}. */
  private KeyedCounters(Keys keys, long[] longs, int[] ints, int[] slots, long[] nonZero) {
    this.keys = keys;
    this.longs = longs;
    this.ints = ints;
    this.slots = slots;
    this.nonZero = nonZero;
  }

  private static long[] requireLength(Keys keys, int length, long[] values) {
    if (length != keys.sorted.length) {
      throw new IllegalArgumentException(length + " values for " + keys.sorted.length + " keys");
    }
    return values;
  }

  /**
   * The map of one file whose line {@code i} has value {@code valuesInLineOrder[i]} ({@code n} lines, the
   * layout's), in the smallest array that holds them; {@code valuesInLineOrder} is not kept (a parser's scratch).
   */
  public static KeyedCounters fromLines(Keys keys, long[] valuesInLineOrder, int n) {
    requireLength(keys, n, null);
    boolean fitInt = true;
    int nonZeros = 0;
    for (int i = 0; i < n; i++) {
      long v = valuesInLineOrder[i];
      fitInt &= v == (int) v;
      nonZeros += v != 0 ? 1 : 0;
    }
    int width = fitInt ? Integer.BYTES : Long.BYTES;
    int words = (n + 63) >>> 6;
    boolean sparse = arrayBytes(words, Long.BYTES) + arrayBytes(nonZeros, width) < arrayBytes(n, width);
    long[] mask = sparse ? new long[words] : null;
    int size = sparse ? nonZeros : n;
    int[] ints = fitInt ? new int[size] : null;
    long[] longs = fitInt ? null : new long[size];
    int at = 0;
    for (int slot = 0; slot < n; slot++) {
      long v = valuesInLineOrder[keys.lineOfSortedSlot[slot]];
      if (sparse) {
        if (v == 0) {
          continue;
        }
        mask[slot >>> 6] |= 1L << slot;
      }
      if (fitInt) {
        ints[at++] = (int) v;
      } else {
        longs[at++] = v;
      }
    }
    return new KeyedCounters(keys, longs, ints, null, mask);
  }

  /** An array's heap size with the usual 16-byte header and 8-byte alignment (only compared, never relied on). */
  private static long arrayBytes(int length, int width) {
    return (16 + (long) length * width + 7) & ~7L;
  }

  /** {@code m} itself when it is a {@link KeyedCounters} (immutable already), else an immutable copy. */
  public static Map<String, Long> immutable(Map<String, Long> m) {
    return m instanceof KeyedCounters ? m : Map.copyOf(m);
  }

  /**
   * {@code m} itself when its map is immutable already (a {@link KeyedCounters}, the reader's case), else an
   * Optional of an immutable copy: a record that normalises its maps this way builds no new Optional per field.
   */
  public static Optional<Map<String, Long>> immutableIn(Optional<Map<String, Long>> m) {
    return m.isEmpty() || m.get() instanceof KeyedCounters ? m : Optional.of(Map.copyOf(m.get()));
  }

  /**
   * The entries whose key starts with {@code prefix}, the prefix cut off ({@code nr_dying_subsys_memory} →
   * {@code memory}), or null when none does. Shares the stripped keys with every map of the same layout and the
   * values with this map (a view, both immutable): no array, String or boxed value per entry.
   */
  public KeyedCounters withPrefix(String prefix) {
    Keys.Stripped d = keys.stripped(prefix);
    if (d == null) {
      return null;
    }
    int[] through = d.sourceSlots;
    if (slots != null) { // a view of a view: compose once (no caller does this today)
      through = new int[through.length];
      for (int i = 0; i < through.length; i++) {
        through[i] = slots[d.sourceSlots[i]];
      }
    }
    return new KeyedCounters(d.keys, longs, ints, through, nonZero);
  }

  private long valueAt(int i) {
    int at = slots == null ? i : slots[i];
    if (nonZero != null) {
      int word = at >>> 6;
      long bit = 1L << at; // the shift is mod 64: the bit within its word
      if ((nonZero[word] & bit) == 0) {
        return 0;
      }
      int rank = Long.bitCount(nonZero[word] & (bit - 1));
      for (int w = 0; w < word; w++) {
        rank += Long.bitCount(nonZero[w]);
      }
      at = rank;
    }
    return ints != null ? ints[at] : longs[at];
  }

  @Override
  public Long get(Object key) {
    Integer i = keys.index.get(key);
    return i == null ? null : valueAt(i);
  }

  @Override
  public boolean containsKey(Object key) {
    return keys.index.containsKey(key);
  }

  @Override
  public int size() {
    return keys.sorted.length;
  }

  @Override
  public Set<Entry<String, Long>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, Long>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keys.sorted.length;
          }

          @Override
          public Entry<String, Long> next() {
            if (next >= keys.sorted.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(keys.sorted[i], valueAt(i));
          }
        };
      }

      @Override
      public int size() {
        return keys.sorted.length;
      }
    };
  }

  /**
   * The keys of one file layout: in line order (to match the next file without building Strings) and sorted.
   * Immutable and shared across threads.
   */
  public static final class Keys {
    private final String[] inLineOrder;
    /** {@link #inLineOrder} as UTF-8, to match a file's bytes without decoding them. */
    private final byte[][] inLineOrderUtf8;
    private final String[] sorted;
    /** For each line, where its value goes in sorted order. */
    private final int[] sortedSlotOfLine;
    /** The inverse: for each sorted slot, the line its value is on. */
    private final int[] lineOfSortedSlot;
    private final Map<String, Integer> index;
    /** Per prefix: the stripped layout, or NONE; computed once per layout (few prefixes, few layouts). */
    private final java.util.concurrent.ConcurrentHashMap<String, Object> strippedByPrefix =
        new java.util.concurrent.ConcurrentHashMap<>();
    private static final Object NONE = new Object();

    /** Keys with a prefix cut off, and where each one's value is in the source's sorted order. */
    record Stripped(Keys keys, int[] sourceSlots) {}

    Stripped stripped(String prefix) {
      Object known = strippedByPrefix.get(prefix); // no capturing lambda per call once known
      Object d = known != null ? known : strippedByPrefix.computeIfAbsent(prefix, p -> {
        List<String> names = new java.util.ArrayList<>();
        List<Integer> slots = new java.util.ArrayList<>();
        for (int i = 0; i < sorted.length; i++) {
          if (sorted[i].startsWith(p)) {
            names.add(sorted[i].substring(p.length()));
            slots.add(i);
          }
        }
        // Sorted already: every key shares the prefix, so the order of the rests is the order of the keys.
        return names.isEmpty() ? NONE
            : new Stripped(new Keys(names), slots.stream().mapToInt(Integer::intValue).toArray());
      });
      return d == NONE ? null : (Stripped) d;
    }

    /** @throws IllegalArgumentException when a key repeats (the parser reports that as malformed first) */
    public Keys(List<String> keysInLineOrder) {
      inLineOrder = keysInLineOrder.toArray(String[]::new);
      inLineOrderUtf8 = new byte[inLineOrder.length][];
      for (int i = 0; i < inLineOrder.length; i++) {
        inLineOrderUtf8[i] = inLineOrder[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }
      sorted = inLineOrder.clone();
      Arrays.sort(sorted);
      index = new HashMap<>(sorted.length * 2);
      for (int i = 0; i < sorted.length; i++) {
        if (index.put(sorted[i], i) != null) {
          throw new IllegalArgumentException("key appears twice: " + sorted[i]);
        }
      }
      sortedSlotOfLine = new int[inLineOrder.length];
      lineOfSortedSlot = new int[inLineOrder.length];
      for (int i = 0; i < inLineOrder.length; i++) {
        sortedSlotOfLine[i] = index.get(inLineOrder[i]);
        lineOfSortedSlot[sortedSlotOfLine[i]] = i;
      }
    }

    public int size() {
      return inLineOrder.length;
    }

    /** The key of line {@code i} (counting non-empty lines). */
    public String keyOfLine(int i) {
      return inLineOrder[i];
    }

    /**
     * Whether line {@code i}'s key is exactly {@code content[from, to)} as UTF-8 (bytes that are not valid UTF-8
     * never match: no key holds U+FFFD's bytes unless the kernel printed them).
     */
    public boolean keyOfLineIs(int i, byte[] content, int from, int to) {
      byte[] key = inLineOrderUtf8[i];
      return key.length == to - from && Arrays.equals(key, 0, key.length, content, from, to);
    }

    public int sortedSlotOfLine(int i) {
      return sortedSlotOfLine[i];
    }
  }
}
