package io.cgwatch.agent.reclaim;

import io.cgwatch.agent.units.ByteSize;
import io.cgwatch.agent.units.DurationConverter;
import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.model.HostSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  private static final String SYNC_HINT = "a dying cgroup can stay pinned by an inode it dirtied (e.g. atime) "
      + "until that is written back: run `sync`, then reclaim again";

  private final Clock clock;
  private final ReclaimWriter.Io io;
  private final WriteTargetCheck check;

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

  @Override
  public Integer call() throws InterruptedException, IOException {
    Duration timeout = timeout();
    Long requested = requestedBytes();
    try {
      return run(ReclaimPlanner.normalize(cgroup), timeout, requested);
    } catch (ReclaimPlanner.Refusal r) {
      throw refuse(r.getMessage());
    }
  }

  private int run(String path, Duration timeout, Long requested) throws InterruptedException, IOException {
    HostRoots roots = host.roots();
    if (!Files.isDirectory(roots.hostRoot())) {
      throw refuse("--host-root " + roots.hostRoot() + ": not a directory");
    }
    ReclaimPlanner planner = new ReclaimPlanner(force);
    HostSnapshot before = scan(roots);
    ReclaimPlanner.Target target = planner.target(before, path, roots);
    ReclaimPlanner.View b = planner.view(before, target);
    long bytes = planner.decideBytes(requested, b, target);
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
    ReclaimReport report = new ReclaimReport(spec.commandLine().getOut(), execute);
    if (!json) {
      report.plan(clock.instant(), target, b, bytes, notes);
    }
    String command = "echo " + bytes + " > " + target.shownFile();
    if (!execute) {
      if (json) {
        report.json(target, true, bytes, b, null, "dry_run", "dry run: nothing written; add --execute to run: "
            + command, notes);
      } else {
        report.dryRun();
      }
      return 0;
    }
    Optional<String> unsafe = check.problem(target.file(), roots.resolveMountPoint(target.hierarchy().mountPoint()));
    if (unsafe.isPresent()) {
      throw refuse(unsafe.get());
    }
    ReclaimWriter.Result r = ReclaimWriter.write(target.file(), bytes, timeout, io);
    ReclaimPlanner.View a = planner.view(scan(roots), target);
    boolean done = r.outcome() == ReclaimWriter.Outcome.RECLAIMED || r.outcome() == ReclaimWriter.Outcome.PARTIAL;
    if (done && a.dying().orElse(0) > 0) {
      notes.add(a.dying().getAsLong() + " still dying under " + path + ": " + SYNC_HINT);
    }
    if (json) {
      report.json(target, false, bytes, b, a, r.outcome().label, r.detail(), notes);
    } else {
      report.outcome(command, r, b, a, notes);
    }
    return done ? 0 : 1;
  }

  private HostSnapshot scan(HostRoots roots) {
    return new CgroupScanner().scan(roots, new ScanOptions(ScanOptions.UNLIMITED_DEPTH), clock);
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

  private ParameterException refuse(String why) {
    return new ReclaimRefused(spec.commandLine(), why);
  }
}
