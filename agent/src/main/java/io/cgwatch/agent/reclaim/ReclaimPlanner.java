package io.cgwatch.agent.reclaim;

import io.cgwatch.agent.estimate.OrphanedMemoryEstimator;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.exporters.text.HumanUnits;
import io.cgwatch.exporters.text.TerminalSafe;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.KernelVersion;
import io.cgwatch.model.OrphanedMemory;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decides what {@code cgwatch reclaim} may write, and where, from a scan: the target cgroup, what the scan says
 * about it, and how many bytes. Pure apart from checking that {@code memory.reclaim} exists; every "no" is a
 * {@link Refusal} with the reason and what to do instead. Writes nothing.
 */
final class ReclaimPlanner {
  /** The cgroup to act on, as found in a scan. */
  record Target(HierarchySnapshot hierarchy, String path, Path file, String shownFile,
      Optional<KernelVersion> kernel, String kernelRelease) {}

  /** What a scan says about the target. */
  record View(OptionalLong dying, OptionalLong orphanedFile, String noEstimateReason) {}

  /** A refusal: the command prints the reason and exits 3. */
  static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refusal(String why) {
      super(why, null, false, false);
    }
  }

  private final boolean force;

  ReclaimPlanner(boolean force) {
    this.force = force;
  }

  /** Finds PATH in the v2 hierarchy holding the memory controller, or refuses with the reason. */
  Target target(HostSnapshot s, String path, HostRoots roots) {
    Optional<HierarchySnapshot> memory = s.memoryHierarchy();
    HierarchySnapshot v1 = memory.filter(h -> h.version() == 1).orElse(null);
    HierarchySnapshot v2 = memory.filter(h -> h.version() == 2).orElse(null);
    if (v1 != null) {
      throw new Refusal("the memory controller is on cgroup v1 here (" + v1.mountPoint() + "), and v1 has no "
          + "memory.reclaim. On v1, reclaim a cgroup's page cache BEFORE removing it: echo 0 > "
          + v1.mountPoint() + "/<cgroup>/memory.force_empty, then rmdir (a removed cgroup has no directory left "
          + "to write to). As a global last resort: sync; echo 1 > /proc/sys/vm/drop_caches (drops clean page "
          + "cache on the whole host). cgwatch runs neither for you.");
    }
    if (v2 == null) {
      throw new Refusal("no cgroup v2 hierarchy with the memory controller was found under " + roots.hostRoot()
          + " (is it the host's /? mountinfo is read from " + roots.procRoot() + "/self/mountinfo)");
    }
    Optional<KernelVersion> kernel = s.capabilities().kernel();
    if (kernel.isPresent() && !kernel.get().atLeast(5, 19)) {
      throw new Refusal("kernel " + kernel.get() + " has no memory.reclaim (it came in 5.19). Alternatives: on the "
          + "cgroup's parent, lower memory.high for a while to make the kernel reclaim there, or as a global "
          + "last resort: sync; echo 1 > /proc/sys/vm/drop_caches.");
    }
    String v2Name = v2.name();
    CgroupSnapshot c = s.cgroups().stream()
        .filter(x -> x.hierarchy().equals(v2Name) && x.path().equals(path))
        .findFirst().orElse(null);
    if (c == null) {
      throw new Refusal("no cgroup " + TerminalSafe.escape(path) + " in the cgroup v2 hierarchy at " + v2.mountPoint()
          + " (PATH is relative to that mount, e.g. /jobs; cgwatch diagnose lists the parents holding orphaned "
          + "page cache)");
    }
    if ("/".equals(path) && !force) {
      throw new Refusal("PATH is the root cgroup: reclaim there takes memory from every cgroup on the host. Name the "
          + "parent that holds the orphaned page cache (cgwatch diagnose lists them), or add --force.");
    }
    if (c.depth() > 0 && c.controllers().map(l -> !l.contains("memory")).orElse(false)) {
      throw new Refusal("the memory controller is not enabled at " + TerminalSafe.escape(path) + " (its "
          + "cgroup.controllers has no memory), so it has no memory.reclaim: nothing removed below it can hold "
          + "page cache charged there");
    }
    Path dir = roots.resolveMountPoint(v2.mountPoint());
    if (!"/".equals(path)) {
      dir = dir.resolve(path.substring(1));
    }
    String shown = ("/".equals(path) ? v2.mountPoint() : v2.mountPoint() + path) + "/memory.reclaim";
    shown = shown.replace("//", "/");
    Path file = dir.resolve("memory.reclaim");
    if (kernel.isEmpty() && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new Refusal("the kernel version is unknown and there is no memory.reclaim at " + file + ": targeted "
          + "reclaim needs kernel 5.19 or later");
    }
    String release = s.host().kernelRelease()
        .orElse(kernel.map(KernelVersion::toString).orElse("unknown"));
    return new Target(v2, path, file, shown, kernel, release);
  }

  View view(HostSnapshot s, Target t) {
    CgroupSnapshot c = find(s, t);
    OptionalLong dying = c == null ? OptionalLong.empty() : c.nrDyingDescendants();
    OptionalLong file = OptionalLong.empty();
    for (OrphanedMemory o : OrphanedMemoryEstimator.estimate(s)) {
      if (o.hierarchy().equals(t.hierarchy().name()) && o.path().equals(t.path())) {
        file = o.bytes().fileBytes();
      }
    }
    String reason = "";
    if (file.isEmpty() && c != null) {
      if (c.depth() == 0) {
        reason = "there is none for the root";
      } else if (!c.subtreeControl().map(l -> l.contains("memory")).orElse(false)) {
        reason = "memory is not in its cgroup.subtree_control, so no child has a memory cgroup";
      } else {
        reason = "a child or a figure could not be read";
      }
    }
    return new View(dying, file, reason);
  }

  private static CgroupSnapshot find(HostSnapshot s, Target t) {
    return s.cgroups().stream()
        .filter(x -> x.hierarchy().equals(t.hierarchy().name()) && x.path().equals(t.path()))
        .findFirst().orElse(null);
  }

  long decideBytes(Long requested, View b, Target t) {
    String where = TerminalSafe.escape(t.path());
    if (b.orphanedFile().isEmpty()) {
      if (requested == null) {
        throw new Refusal("there is no orphaned page cache estimate for " + where + " (" + b.noEstimateReason()
            + "), so there is no default amount: pass --bytes SIZE with --force");
      }
      if (!force) {
        throw new Refusal("there is no orphaned page cache estimate for " + where + " (" + b.noEstimateReason()
            + ") to check --bytes against; memory.reclaim may take live memory: add --force to go ahead");
      }
      return requested;
    }
    long estimate = b.orphanedFile().getAsLong();
    if (requested == null) {
      if (estimate == 0) {
        throw new Refusal("the orphaned page cache estimate for " + where + " is 0 B: nothing left behind to reclaim "
            + "(dying cgroups there, if any, are pinned by something else; try `sync` first). Pass --bytes SIZE "
            + "--force to reclaim live memory anyway.");
      }
      return estimate;
    }
    if (requested > estimate && !force) {
      throw new Refusal("--bytes " + requested + " is more than the " + estimate + " bytes (" + HumanUnits.bytes(estimate)
          + ") of orphaned page cache at " + where + "; the rest would come from the live cgroups below it. Use "
          + "--bytes " + estimate + " (or leave --bytes out), or add --force.");
    }
    return requested;
  }

  /** {@code jobs}, {@code /jobs/}, {@code //jobs} → {@code /jobs}; no {@code .} or {@code ..} segments. */
  static String normalize(String p) {
    StringBuilder sb = new StringBuilder();
    for (String part : p.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.equals(".") || part.equals("..")) {
        throw new Refusal("--cgroup " + TerminalSafe.escape(p) + ": no . or .. segments; give the path relative to the "
            + "cgroup v2 mount, e.g. /jobs");
      }
      sb.append('/').append(part);
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }

}
