package io.cgwatch.model;

import java.util.Optional;

/**
 * The workload a cgroup belongs to, in the words of its platform, derived from the cgroup's path (docs/owners.md).
 * Every string comes from a cgroup or directory name, so it is untrusted: renderers escape it like a path.
 *
 * @param kind what the owner is (a pod, a container, a systemd unit, ...)
 * @param name the owner's name: a pod's name (its UID when no log directory names it), a container's ID cut to
 *     12 characters, a systemd unit's unescaped name, a QoS class, the top-level cgroup for {@link Kind#UNKNOWN}
 * @param namespace a pod's Kubernetes namespace, when its log directory was visible
 * @param podUid a pod's UID (dashes, as the API server writes it)
 * @param container the full container ID, when the path is inside one container
 * @param runtime {@code containerd}, {@code cri-o}, {@code docker}, {@code podman}, when a container's
 * @param qos a pod's QoS class ({@code guaranteed}, {@code burstable}, {@code besteffort})
 */
public record Owner(Kind kind, String name, Optional<String> namespace, Optional<String> podUid,
    Optional<String> container, Optional<String> runtime, Optional<String> qos) {

  public enum Kind {
    /** A Kubernetes pod: both cgroup drivers, every QoS class. */
    POD("pod"),
    /** A Kubernetes QoS slice ({@code kubepods-burstable.slice}) or {@code kubepods} itself: no pod below it. */
    QOS("qos"),
    /** A container outside Kubernetes (Docker, Podman, containerd, CRI-O). */
    CONTAINER("container"),
    /** A virtual machine or container registered with systemd-machined ({@code machine.slice/machine-*.scope}). */
    MACHINE("machine"),
    /** A systemd service ({@code cron.service}, {@code user@1000.service}). */
    SERVICE("service"),
    /** A systemd scope ({@code session-3.scope}, {@code run-u42.scope}). */
    SCOPE("scope"),
    /** A systemd slice with no unit below it on the path ({@code system.slice}). */
    SLICE("slice"),
    /** The hierarchy's root cgroup. */
    ROOT("root"),
    /** No convention matched: named after the top-level cgroup of the path. */
    UNKNOWN("unknown");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The key owners are rolled up by: containers of one pod, and every restart of a unit, are one owner. */
  public record Key(String kind, String name, String namespace) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = kind.compareTo(o.kind);
      c = c != 0 ? c : namespace.compareTo(o.namespace);
      return c != 0 ? c : name.compareTo(o.name);
    }
  }

  public Key key() {
    return new Key(kind.label(), name, namespace.orElse(""));
  }

  public static Owner of(Kind kind, String name) {
    return new Owner(kind, name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
  }
}
