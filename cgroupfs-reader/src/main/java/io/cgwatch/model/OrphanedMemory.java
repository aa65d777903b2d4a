package io.cgwatch.model;

/**
 * Memory still charged to a parent that none of its live children accounts for: an upper bound of what removed
 * (dying) children left behind. Each field of {@code bytes} is absent where the estimate does not apply.
 *
 * <ul>
 *   <li>v2 ({@link Method#PARENT_MINUS_LIVE_CHILDREN}): {@code X(P) − Σ X(live children)}, for parents with
 *       {@code memory} in {@code cgroup.subtree_control} (never the root). It also counts what P charged
 *       before it had children and kernel memory reparented to P (kernel-facts §5), hence an upper bound; on
 *       7.1+ it is page cache reparented at removal.
 *   <li>v1 ({@link Method#TOTAL_MINUS_LOCAL_MINUS_LIVE_CHILDREN}): {@code total_X(P) − X(P) − Σ total_X(live
 *       children)}: v1 splits P's own charges out, so what is left belongs to dying descendants. No
 *       {@code usage}: v1 has no local usage to subtract.
 * </ul>
 *
 * @param clampedNegatives fields that came out negative (reads are not atomic; a child grew between its read
 *     and its parent's) and were reported as 0
 */
public record OrphanedMemory(String hierarchy, String path, Method method, Charges bytes, int clampedNegatives) {
  public enum Method {
    PARENT_MINUS_LIVE_CHILDREN("parent_minus_live_children"),
    TOTAL_MINUS_LOCAL_MINUS_LIVE_CHILDREN("total_minus_local_minus_live_children");

    private final String label;

    Method(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
