package io.cgwatch.agent.reclaim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cgwatch.agent.cli.DurationConverter;
import io.cgwatch.agent.estimate.OrphanedMemoryEstimator;
import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.exporters.text.HumanUnits;
import io.cgwatch.exporters.text.TerminalSafe;
import io.cgwatch.model.CgroupSnapshot;
import io.cgwatch.model.HierarchySnapshot;
import io.cgwatch.model.HostSnapshot;
import io.cgwatch.model.KernelVersion;
import io.cgwatch.model.OrphanedMemory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code cgwatch reclaim}: the only command that writes to cgroupfs, and only one thing: a byte count to
 * {@code memory.reclaim} of one v2 cgroup (kernel 5.19+), which makes the kernel reclaim that much memory from
 * the cgroup's subtree, dying descendants included (kernel-facts §3.5). Without {@code --execute} it is a dry run
 * that prints exactly what it would write, and where.
 *
 * <p>Planning needs only a v2 memory controller on a kernel known to be 5.19 or later: captured host roots
 * (fixtures) skip write-only files, so {@code memory.reclaim} may be missing from them although the live kernel
 * has it. The dry run says so; {@code --execute} refuses when the file is not there (and the write itself never
 * creates it).
 */
@Command(name = "reclaim", mixinStandardHelpOptions = true,
    versionProvider = io.cgwatch.agent.cli.VersionProvider.class,
    description = {"Reclaims the page cache that removed (dying) cgroups left behind under one cgroup v2 parent, by "
        + "writing a byte count to its memory.reclaim (kernel 5.19+). The only cgwatch command that writes "
        + "to cgroupfs; without --execute it only prints what it would write.",
        "memory.reclaim takes memory from the whole subtree, live children included, so the amount defaults to "
            + "(and without --force is capped at) the orphaned page cache estimate of that parent.",
        "Exit codes: 0 done (or dry run printed), 1 the write failed or timed out, 3 refused or bad usage."})
public final class ReclaimCommand implements Callable<Integer> {
  /** Built on first use: every command constructs this class, and Jackson's start-up was half of diagnose's. */
  private static final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
        .build();
  }

  private static final String SYNC_HINT = "a dying cgroup can stay pinned by an inode it dirtied (e.g. atime) "
      + "until that is written back: run `sync`, then reclaim again";

  private final Clock clock;
  private final ReclaimWriter.Io io;
  private final WriteTargetCheck check;
  /** How many notes the plan already printed; the outcome prints only the ones added after the write. */
  private int notesPrinted;

  @Spec
  CommandSpec spec;




  @Mixin
  io.cgwatch.agent.cli.HostRootOptions host = new io.cgwatch.agent.cli.HostRootOptions();

  @Option(names = "--cgroup", paramLabel = "PATH", required = true,
      description = "The parent cgroup, relative to the cgroup v2 mount, e.g. /jobs (cgwatch diagnose lists the "
          + "parents holding orphaned page cache).")
  String cgroup;

  @Option(names = "--bytes", paramLabel = "SIZE",
      description = "How much to reclaim: 4096, 512M, 1G (binary suffixes K, M, G, T; whole numbers). Default: "
          + "the orphaned page cache estimate at PATH. More than that needs --force.")
  String bytesText;

  @Option(names = "--execute", description = "Write to memory.reclaim. Without it: a dry run, nothing is written.")
  boolean execute;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "How long to wait for the write (the kernel reclaims inside it): 200ms, 30s, 2m. "
          + "Default: ${DEFAULT-VALUE}.")
  String timeoutText;

  @Option(names = "--force", description = "Allow the root cgroup, and more bytes than the orphaned estimate "
      + "(memory.reclaim then also takes live children's memory).")
  boolean force;

  @Option(names = "--json", description = "Print the plan and the outcome as JSON.")
  boolean json;

  public ReclaimCommand(Clock clock) {
    this(clock, ReclaimWriter.FILES, WriteTargetCheck.STATFS);
  }

  /**
   * Tests only: another way to do the write (the kernel's EAGAIN cannot be produced on a plain file), on a fake
   * tree, so without the cgroup2 filesystem check (which refuses every fake tree, see WriteTargetCheck).
   */
  ReclaimCommand(Clock clock, ReclaimWriter.Io io) {
    this(clock, io, (file, mount) -> Optional.empty());
  }

  ReclaimCommand(Clock clock, ReclaimWriter.Io io, WriteTargetCheck check) {
    this.clock = clock;
    this.io = io;
    this.check = check;
  }

  /** The cgroup to act on, as found in a scan. */
  private record Target(HierarchySnapshot hierarchy, String path, Path file, String shownFile,
      Optional<KernelVersion> kernel, String kernelRelease) {}

  /** What a scan says about the target. */
  private record View(OptionalLong dying, OptionalLong orphanedFile, String noEstimateReason) {}

  @Override
  public Integer call() throws InterruptedException, IOException {
    Duration timeout = timeout();
    Long requested = requestedBytes();
    String path = normalize(cgroup);
    HostRoots roots = host.roots();
    if (!Files.isDirectory(roots.hostRoot())) {
      throw refuse("--host-root " + roots.hostRoot() + ": not a directory");
    }
    HostSnapshot before = scan(roots);
    Target target = target(before, path, roots);
    View b = view(before, target);
    long bytes = decideBytes(requested, b, target);
    boolean filePresent = Files.exists(target.file(), LinkOption.NOFOLLOW_LINKS);
    if (Files.isSymbolicLink(target.file())) {
      throw refuse(target.file() + " is a symbolic link, not the kernel's memory.reclaim; cgwatch writes only to "
          + "the file itself");
    }
    List<String> notes = new ArrayList<>();
    if (!target.hierarchy().fullView()) {
      notes.add("partial view: " + target.hierarchy().mountPoint() + " shows the hierarchy from "
          + target.hierarchy().mountRoot() + " (a container's view); PATH is relative to it, which is fine to "
          + "act on");
    }
    if (!filePresent) {
      if (execute) {
        throw refuse("there is no memory.reclaim at " + target.file() + ", so there is nothing to write to "
            + "(cgwatch never creates it). It exists on a live cgroup v2 host with kernel 5.19 or later; a "
            + "captured host root has none because captures skip write-only files. Run against the live host.");
      }
      notes.add("memory.reclaim is not in this tree (captures skip write-only files); kernel "
          + target.kernelRelease() + " (5.19 or later) has it on the live host, where --execute would write "
          + "it; --execute here would refuse");
    }
    if (!json) {
      printPlan(target, b, bytes, notes);
    }
    String command = "echo " + bytes + " > " + target.shownFile();
    if (!execute) {
      String message = "dry run: nothing written; add --execute to run: " + command;
      if (json) {
        printJson(target, true, bytes, b, null, "dry_run", message, notes);
      } else {
        out().println("dry run: nothing written. Add --execute to run it.");
        out().flush();
      }
      return 0;
    }
    Optional<String> unsafe = check.problem(target.file(), roots.resolveMountPoint(target.hierarchy().mountPoint()));
    if (unsafe.isPresent()) {
      throw refuse(unsafe.get());
    }
    ReclaimWriter.Result r = ReclaimWriter.write(target.file(), bytes, timeout, io);
    HostSnapshot after = scan(roots);
    View a = view(after, target);
    String message = r.detail();
    if ((r.outcome() == ReclaimWriter.Outcome.RECLAIMED || r.outcome() == ReclaimWriter.Outcome.PARTIAL)
        && a.dying().orElse(0) > 0) {
      notes.add(a.dying().getAsLong() + " still dying under " + path + ": " + SYNC_HINT);
    }
    if (json) {
      printJson(target, false, bytes, b, a, r.outcome().label, message, notes);
    } else {
      PrintWriter out = out();
      out.println("wrote: " + TerminalSafe.escape(command) + " (" + HumanUnits.duration(r.took()) + ")");
      out.println("outcome: " + r.outcome().label + ": " + TerminalSafe.escape(message));
      out.println();
      out.printf("%-22s %12s %12s%n", "", "BEFORE", "AFTER");
      out.printf("%-22s %12s %12s%n", "nr_dying_descendants", count(b.dying()), count(a.dying()));
      out.printf("%-22s %12s %12s%n", "orphaned file", size(b.orphanedFile()), size(a.orphanedFile()));
      for (String n : notes.subList(Math.min(notes.size(), notesPrinted), notes.size())) {
        out.println("note: " + TerminalSafe.escape(n));
      }
      out.flush();
    }
    return r.outcome() == ReclaimWriter.Outcome.RECLAIMED || r.outcome() == ReclaimWriter.Outcome.PARTIAL ? 0 : 1;
  }

  private void printPlan(Target t, View b, long bytes, List<String> notes) {
    PrintWriter out = out();
    out.println("cgwatch reclaim at " + clock.instant() + (execute ? "" : " (dry run)"));
    out.println("cgroup: " + TerminalSafe.escape(t.path()) + " (cgroup v2 at " + t.hierarchy().mountPoint()
        + ", kernel " + TerminalSafe.escape(t.kernelRelease()) + ")");
    out.println("nr_dying_descendants: " + count(b.dying()));
    out.println("orphaned page cache: " + (b.orphanedFile().isPresent()
        ? HumanUnits.bytes(b.orphanedFile().getAsLong()) + " (" + b.orphanedFile().getAsLong()
            + " bytes of file that no live child accounts for; an upper bound)"
        : "unknown (" + b.noEstimateReason() + ")"));
    out.println((execute ? "writing: " : "would write: ") + "echo " + bytes + " > "
        + TerminalSafe.escape(t.shownFile()));
    for (String n : notes) {
      out.println("note: " + TerminalSafe.escape(n));
    }
    notesPrinted = notes.size();
    out.flush();
  }

  private void printJson(Target t, boolean dryRun, long bytes, View b, View a, String outcome, String message,
      List<String> notes) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("cgroup", t.path());
    doc.put("mount_point", t.hierarchy().mountPoint());
    doc.put("dry_run", dryRun);
    doc.put("bytes", bytes);
    doc.put("dying_before", boxed(b.dying()));
    doc.put("orphaned_file_bytes_before", boxed(b.orphanedFile()));
    doc.put("dying_after", a == null ? null : boxed(a.dying()));
    doc.put("orphaned_file_bytes_after", a == null ? null : boxed(a.orphanedFile()));
    doc.put("outcome", outcome);
    doc.put("message", notes.isEmpty() ? message : message + "; " + String.join("; ", notes));
    PrintWriter out = out();
    Json.MAPPER.writeValue(out, doc);
    out.println();
    out.flush();
  }

  private HostSnapshot scan(HostRoots roots) {
    return new CgroupScanner().scan(roots, new ScanOptions(ScanOptions.UNLIMITED_DEPTH), clock);
  }

  /** Finds PATH in the v2 hierarchy holding the memory controller, or refuses with the reason. */
  private Target target(HostSnapshot s, String path, HostRoots roots) {
    HierarchySnapshot v2 = null;
    HierarchySnapshot v1 = null;
    for (HierarchySnapshot h : s.hierarchies()) {
      if (h.controllers().contains("memory")) {
        if (h.version() == 2 && v2 == null) {
          v2 = h;
        } else if (h.version() == 1 && v1 == null) {
          v1 = h;
        }
      }
    }
    if (v2 == null && v1 != null) {
      throw refuse("the memory controller is on cgroup v1 here (" + v1.mountPoint() + "), and v1 has no "
          + "memory.reclaim. On v1, reclaim a cgroup's page cache BEFORE removing it: echo 0 > "
          + v1.mountPoint() + "/<cgroup>/memory.force_empty, then rmdir (a removed cgroup has no directory left "
          + "to write to). As a global last resort: sync; echo 1 > /proc/sys/vm/drop_caches (drops clean page "
          + "cache on the whole host). cgwatch runs neither for you.");
    }
    if (v2 == null) {
      throw refuse("no cgroup v2 hierarchy with the memory controller was found under " + roots.hostRoot()
          + " (is it the host's /? mountinfo is read from " + roots.procRoot() + "/self/mountinfo)");
    }
    Optional<KernelVersion> kernel = s.capabilities().kernel();
    if (kernel.isPresent() && !kernel.get().atLeast(5, 19)) {
      throw refuse("kernel " + kernel.get() + " has no memory.reclaim (it came in 5.19). Alternatives: on the "
          + "cgroup's parent, lower memory.high for a while to make the kernel reclaim there, or as a global "
          + "last resort: sync; echo 1 > /proc/sys/vm/drop_caches.");
    }
    String v2Name = v2.name();
    CgroupSnapshot c = s.cgroups().stream()
        .filter(x -> x.hierarchy().equals(v2Name) && x.path().equals(path))
        .findFirst().orElse(null);
    if (c == null) {
      throw refuse("no cgroup " + TerminalSafe.escape(path) + " in the cgroup v2 hierarchy at " + v2.mountPoint()
          + " (PATH is relative to that mount, e.g. /jobs; cgwatch diagnose lists the parents holding orphaned "
          + "page cache)");
    }
    if ("/".equals(path) && !force) {
      throw refuse("PATH is the root cgroup: reclaim there takes memory from every cgroup on the host. Name the "
          + "parent that holds the orphaned page cache (cgwatch diagnose lists them), or add --force.");
    }
    if (c.depth() > 0 && c.controllers().map(l -> !l.contains("memory")).orElse(false)) {
      throw refuse("the memory controller is not enabled at " + TerminalSafe.escape(path) + " (its "
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
      throw refuse("the kernel version is unknown and there is no memory.reclaim at " + file + ": targeted "
          + "reclaim needs kernel 5.19 or later");
    }
    String release = s.host().kernelRelease()
        .orElse(kernel.map(KernelVersion::toString).orElse("unknown"));
    return new Target(v2, path, file, shown, kernel, release);
  }

  private View view(HostSnapshot s, Target t) {
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

  private long decideBytes(Long requested, View b, Target t) {
    String where = TerminalSafe.escape(t.path());
    if (b.orphanedFile().isEmpty()) {
      if (requested == null) {
        throw refuse("there is no orphaned page cache estimate for " + where + " (" + b.noEstimateReason()
            + "), so there is no default amount: pass --bytes SIZE with --force");
      }
      if (!force) {
        throw refuse("there is no orphaned page cache estimate for " + where + " (" + b.noEstimateReason()
            + ") to check --bytes against; memory.reclaim may take live memory: add --force to go ahead");
      }
      return requested;
    }
    long estimate = b.orphanedFile().getAsLong();
    if (requested == null) {
      if (estimate == 0) {
        throw refuse("the orphaned page cache estimate for " + where + " is 0 B: nothing left behind to reclaim "
            + "(dying cgroups there, if any, are pinned by something else; try `sync` first). Pass --bytes SIZE "
            + "--force to reclaim live memory anyway.");
      }
      return estimate;
    }
    if (requested > estimate && !force) {
      throw refuse("--bytes " + requested + " is more than the " + estimate + " bytes (" + HumanUnits.bytes(estimate)
          + ") of orphaned page cache at " + where + "; the rest would come from the live cgroups below it. Use "
          + "--bytes " + estimate + " (or leave --bytes out), or add --force.");
    }
    return requested;
  }

  private Duration timeout() {
    try {
      Duration d = DurationConverter.parse(timeoutText);
      if (d.isZero()) {
        throw refuse("--timeout must be more than 0");
      }
      return d;
    } catch (TypeConversionException e) {
      throw refuse("--timeout: " + e.getMessage());
    }
  }

  private Long requestedBytes() {
    if (bytesText == null) {
      return null;
    }
    try {
      return ByteSize.parse(bytesText);
    } catch (IllegalArgumentException e) {
      throw refuse("--bytes: " + e.getMessage());
    }
  }

  /** {@code jobs}, {@code /jobs/}, {@code //jobs} → {@code /jobs}; no {@code .} or {@code ..} segments. */
  private String normalize(String p) {
    StringBuilder sb = new StringBuilder();
    for (String part : p.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.equals(".") || part.equals("..")) {
        throw refuse("--cgroup " + TerminalSafe.escape(p) + ": no . or .. segments; give the path relative to the "
            + "cgroup v2 mount, e.g. /jobs");
      }
      sb.append('/').append(part);
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }

  private ParameterException refuse(String why) {
    return new ReclaimRefused(spec.commandLine(), why);
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private static String count(OptionalLong v) {
    return v.isPresent() ? Long.toString(v.getAsLong()) : "unknown";
  }

  private static String size(OptionalLong v) {
    return v.isPresent() ? HumanUnits.bytes(v.getAsLong()) : "unknown";
  }

  private static Long boxed(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : null;
  }
}
