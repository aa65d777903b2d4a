package io.cgwatch.agent.owner;

import io.cgwatch.model.Owner;
import io.cgwatch.model.Owner.Kind;
import io.cgwatch.model.PodLogDir;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cgroup path to the workload that owns it, by the path conventions of systemd, the kubelet (both cgroup
 * drivers) and the container runtimes; docs/owners.md lists each with examples. Pure: the path and the pod names
 * of {@code /var/log/pods} in, an {@link Owner} out. The conventions are the same on cgroup v1 and v2.
 *
 * <p>The path is read from the root down: a Kubernetes pod wins over everything (its containers are part of
 * it), then a container, a systemd-machined machine, the innermost systemd service or scope, the innermost
 * slice. A component that matches nothing keeps the owner found above it (the nearest meaningful ancestor), so
 * a job's sub-cgroups belong to its unit. Names are untrusted: a component only matches a convention when it is
 * the exact shape (a container ID is 12 to 64 hex digits), and nothing here throws, whatever the input.
 */
public final class OwnerResolver {
  private static final String ID = "([0-9a-f]{12,64})";
  // kubelet, systemd driver: kubepods[-<qos>]-pod<uid with '_' for '-'>.slice; cgroupfs driver: pod<uid>
  private static final Pattern POD_SLICE =
      Pattern.compile("kubepods(?:-(burstable|besteffort))?-pod([0-9a-f]{8}(?:_[0-9a-f]{4}){3}_[0-9a-f]{12})\\.slice");
  private static final Pattern POD_DIR =
      Pattern.compile("pod([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})");
  private static final Pattern QOS_SLICE = Pattern.compile("kubepods-(burstable|besteffort)\\.slice");
  /** systemd-driver container scopes: the runtime's prefix names it. */
  private static final Pattern CONTAINER_SCOPE =
      Pattern.compile("(cri-containerd|crio-conmon|crio|docker|libpod-conmon|libpod)-" + ID + "\\.scope");
  /** cgroupfs-driver runtimes: {@code /docker/<id>}, {@code /libpod_parent/libpod-<id>}, {@code /containerd/<id>}. */
  private static final Pattern LIBPOD_DIR = Pattern.compile("(libpod-conmon|libpod)-" + ID);
  private static final Pattern BARE_ID = Pattern.compile(ID);
  private static final Map<String, String> RUNTIME = Map.of("cri-containerd", "containerd", "crio", "cri-o",
      "crio-conmon", "cri-o", "docker", "docker", "libpod", "podman", "libpod-conmon", "podman",
      "containerd", "containerd");

  private final Map<String, PodLogDir> podsByUid = new HashMap<>();

  /** @param pods what {@code /var/log/pods} names on this host (empty when not visible: pods keep their UID) */
  public OwnerResolver(List<PodLogDir> pods) {
    pods.forEach(p -> podsByUid.putIfAbsent(p.uid(), p));
  }

  /** The owner of the cgroup at {@code path} ({@code /}, {@code /a/b}); never null, never throws. */
  public Owner resolve(String path) {
    try {
      return resolveUnchecked(path == null ? "/" : path);
    } catch (RuntimeException e) { // a bug must not cost the scan its report: the path is still a name
      return Owner.of(Kind.UNKNOWN, "unknown");
    }
  }

  private Owner resolveUnchecked(String path) {
    String[] parts = path.split("/");
    boolean kubepods = false;
    String qos = null;
    String podUid = null;
    String[] container = null; // {runtime, id}
    String unit = null;
    Kind unitKind = null;
    String slice = null;
    String machine = null;
    String first = null;
    String previous = "";
    for (String c : parts) {
      if (c.isEmpty()) {
        continue;
      }
      first = first == null ? c : first;
      Matcher m;
      if (c.equals("kubepods") || c.equals("kubepods.slice")) {
        kubepods = true;
      } else if (kubepods && podUid == null && (c.equals("burstable") || c.equals("besteffort"))) {
        qos = c;
      } else if (kubepods && podUid == null && (m = QOS_SLICE.matcher(c)).matches()) {
        qos = m.group(1);
      } else if (kubepods && podUid == null && (m = POD_SLICE.matcher(c)).matches()) {
        podUid = m.group(2).replace('_', '-');
        qos = m.group(1) != null ? m.group(1) : qos;
      } else if (kubepods && podUid == null && (m = POD_DIR.matcher(c)).matches()) {
        podUid = m.group(1);
      } else if (container == null && (m = CONTAINER_SCOPE.matcher(c)).matches()) {
        container = new String[] {RUNTIME.get(m.group(1)), m.group(2)};
      } else if (container == null && (m = LIBPOD_DIR.matcher(c)).matches()) {
        container = new String[] {"podman", m.group(2)};
      } else if (container == null && BARE_ID.matcher(c).matches()
          && (podUid != null || previous.equals("docker") || previous.equals("containerd"))) {
        // cgroupfs driver: /kubepods/<qos>/pod<uid>/<id> (runtime not in the path), /docker/<id>, /containerd/<id>
        container = new String[] {podUid != null ? "" : RUNTIME.get(previous), c};
      } else if (container == null && podUid == null && c.endsWith(".scope") && previous.equals("machine.slice")
          && c.startsWith("machine-") && c.length() > "machine-.scope".length()) {
        machine = SystemdNames.unescape(c.substring("machine-".length(), c.length() - ".scope".length()));
      } else if (container == null && podUid == null && machine == null && c.length() > ".service".length()
          && c.endsWith(".service")) {
        unit = c;
        unitKind = Kind.SERVICE;
      } else if (container == null && podUid == null && machine == null && c.length() > ".scope".length()
          && c.endsWith(".scope")) {
        unit = c;
        unitKind = Kind.SCOPE;
      } else if (container == null && podUid == null && machine == null && unit == null
          && c.length() > ".slice".length() && c.endsWith(".slice")) {
        slice = c;
      }
      previous = c;
    }
    if (podUid != null) {
      PodLogDir pod = podsByUid.get(podUid);
      return new Owner(Kind.POD, pod != null ? pod.name() : podUid, Optional.ofNullable(pod).map(PodLogDir::namespace),
          Optional.of(podUid), container == null ? Optional.empty() : Optional.of(container[1]),
          container == null || container[0].isEmpty() ? Optional.empty() : Optional.of(container[0]),
          Optional.of(qos != null ? qos : "guaranteed"));
    }
    if (kubepods) {
      return new Owner(Kind.QOS, qos != null ? qos : "kubepods", Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.empty(), Optional.ofNullable(qos));
    }
    if (container != null) {
      return new Owner(Kind.CONTAINER, container[1].substring(0, 12), Optional.empty(), Optional.empty(),
          Optional.of(container[1]), Optional.of(container[0]), Optional.empty());
    }
    if (machine != null) {
      return Owner.of(Kind.MACHINE, machine);
    }
    if (unit != null) {
      return Owner.of(unitKind, SystemdNames.unescape(unit));
    }
    if (slice != null) {
      return Owner.of(Kind.SLICE, SystemdNames.unescape(slice));
    }
    return first == null ? Owner.of(Kind.ROOT, "/") : Owner.of(Kind.UNKNOWN, "/" + first);
  }
}
