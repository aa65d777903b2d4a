package io.cgwatch.model;

import java.util.Comparator;

/**
 * A cgroup by place: its hierarchy and its path there. The key of every per-cgroup map, instead of joined
 * strings; ordered by hierarchy, then path (plain string order).
 */
public record CgroupRef(String hierarchy, String path) implements Comparable<CgroupRef> {
  private static final Comparator<CgroupRef> ORDER =
      Comparator.comparing(CgroupRef::hierarchy).thenComparing(CgroupRef::path);

  public static CgroupRef of(CgroupSnapshot c) {
    return new CgroupRef(c.hierarchy(), c.path());
  }

  public static CgroupRef of(OrphanedMemory o) {
    return new CgroupRef(o.hierarchy(), o.path());
  }

  @Override
  public int compareTo(CgroupRef o) {
    return ORDER.compare(this, o);
  }
}
