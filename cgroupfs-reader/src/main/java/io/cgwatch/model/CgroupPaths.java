package io.cgwatch.model;

import java.util.Comparator;

/** Helpers for cgroup paths relative to a hierarchy root ({@code /}, {@code /a}, {@code /a/b}). */
public final class CgroupPaths {
  /**
   * Orders paths segment by segment, so a cgroup's descendants follow it directly ({@code /a}, {@code /a/b},
   * {@code /a b}) — a plain string order would put {@code /a b} between {@code /a} and {@code /a/b}.
   */
  public static final Comparator<String> TREE_ORDER = CgroupPaths::compareTree;

  private CgroupPaths() {}

  private static int compareTree(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        if (ca == '/') {
          return -1;
        }
        if (cb == '/') {
          return 1;
        }
        return Character.compare(ca, cb);
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  /** 0 for the root {@code /}, 1 for {@code /a}, 2 for {@code /a/b}. */
  public static int depth(String path) {
    if ("/".equals(path)) {
      return 0;
    }
    int depth = 0;
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '/') {
        depth++;
      }
    }
    return depth;
  }

  /** The parent path, or {@code null} for the root. */
  public static String parent(String path) {
    if ("/".equals(path)) {
      return null;
    }
    int slash = path.lastIndexOf('/');
    return slash == 0 ? "/" : path.substring(0, slash);
  }

  /** The child path of {@code parent} named {@code name}. */
  public static String child(String parent, String name) {
    return "/".equals(parent) ? "/" + name : parent + "/" + name;
  }
}
