package io.cgwatch.cgroupfs;

import io.cgwatch.model.PodLogDir;
import io.cgwatch.model.ScanError;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the names of the kubelet's pod log directories, {@code <host-root>/var/log/pods/<namespace>_<name>_<uid>}:
 * a directory listing only, no file is opened. A cgroup path carries a pod's UID and nothing else; these names
 * give its namespace and name without the API server (docs/owners.md).
 *
 * <p>The names are untrusted (any root process on the node can mkdir there): a name is used only when it splits
 * into exactly a DNS-1123 namespace, a DNS-1123 pod name and a UUID, so it can contain no separator, quote or
 * control character; anything else is skipped, never an error. At most {@link #MAX_PODS} are kept (a node runs
 * 110 pods by default). Absent (no kubelet, or not mounted into cgwatch's container) is normal and silent.
 */
public final class PodLogDirectories {
  /** Far above any node's pod count (the kubelet's default --max-pods is 110). */
  static final int MAX_PODS = 10_000;

  // Namespace: a DNS-1123 label (63); pod name: a DNS-1123 subdomain (253); the UID as the API server writes it.
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern POD_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final Pattern UID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private PodLogDirectories() {}

  static List<PodLogDir> read(HostRoots roots, ScanContext ctx) {
    Path dir = roots.hostRoot().resolve(ReadPlan.POD_LOG_DIRS);
    ControlFiles.Listing listing;
    try {
      HostRoots.requireInside(roots.hostRoot(), dir, "/" + ReadPlan.POD_LOG_DIRS);
      listing = ctx.files().list(dir);
    } catch (NoSuchFileException e) {
      return List.of(); // no kubelet on this host, or its /var/log is not mounted in: owners keep the pod UID
    } catch (IOException e) {
      ctx.error("/" + ReadPlan.POD_LOG_DIRS, "", e instanceof java.nio.file.AccessDeniedException
          ? ScanError.Kind.PERMISSION_DENIED : ScanError.Kind.IO_ERROR, ScanContext.reason(e));
      return List.of();
    } catch (HostRoots.OutsideRootException e) {
      ctx.error("/" + ReadPlan.POD_LOG_DIRS, "", ScanError.Kind.OUTSIDE_ROOT, e.getMessage());
      return List.of();
    }
    List<PodLogDir> pods = new ArrayList<>();
    for (ControlFiles.Subdirectory d : listing.subdirectories()) {
      if (pods.size() >= MAX_PODS) {
        break;
      }
      PodLogDir pod = parse(d.name());
      if (pod != null) {
        pods.add(pod);
      }
    }
    pods.sort(java.util.Comparator.comparing(PodLogDir::uid));
    return List.copyOf(pods);
  }

  /** {@code <namespace>_<name>_<uid>}, or null: neither a namespace nor a pod name can hold an underscore. */
  public static PodLogDir parse(String dirName) {
    String[] parts = dirName.split("_", -1);
    if (parts.length != 3 || !NAMESPACE.matcher(parts[0]).matches() || !POD_NAME.matcher(parts[1]).matches()
        || !UID.matcher(parts[2]).matches()) {
      return null;
    }
    return new PodLogDir(parts[0], parts[1], parts[2]);
  }
}
