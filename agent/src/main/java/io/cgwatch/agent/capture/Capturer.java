package io.cgwatch.agent.capture;

import io.cgwatch.cgroupfs.CgroupDir;
import io.cgwatch.cgroupfs.ControlFiles;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ReadPlan;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.cgroupfs.parse.MountInfo;
import io.cgwatch.model.ScanError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Copies what cgwatch reads from a host root into a {@link CaptureSink}, in the layout {@code --host-root} reads:
 * exactly the files, mounts and size cap that the reader's {@link ReadPlan} names, nothing of its own.
 * Two steps, so a test can remove a cgroup between them: {@link #plan()} walks every cgroup mount with the
 * reader's walk ({@link ReadPlan#walk}, directory listings only; capture has no walk of its own), {@link #copy}
 * reads each directory's control files and writes them. Read-only on the source:
 * files are opened for reading only, without following symlinks, and at most {@link ReadPlan#MAX_FILE_BYTES} of
 * each. Write-only files of {@link ReadPlan#PRESENCE_AT_ROOT} are never opened, written as empty placeholders.
 */
final class Capturer {
  static final int MAX_FILE_BYTES = ReadPlan.MAX_FILE_BYTES;
  /**
   * mountinfo of a host with many containers is far larger than a control file; the capture keeps only its cgroup
   * lines, which the reader then reads under its own cap.
   */
  static final int MAX_MOUNTINFO_BYTES = 8 << 20;
  static final String PROCS = ReadPlan.PROCS;
  private static final Set<String> CONTROL_FILES = ReadPlan.controlFiles();

  private final HostRoots source;
  private final ControlFiles files;
  private final CaptureLimits limits;
  private final boolean anonymize;
  private final LongSupplier nanoTime;
  private final long startNanos;

  private long filesWritten;
  private long bytesWritten;
  private long cgroupsCopied;
  private long vanished;
  private long skipped;
  private long placeholders;
  private final List<String> skippedFiles = new ArrayList<>();
  private final List<String> inodes = new ArrayList<>();
  private String kernelRelease = "unknown";

  Capturer(HostRoots source, ControlFiles files, CaptureLimits limits, boolean anonymize, LongSupplier nanoTime) {
    this.source = source;
    this.files = files;
    this.limits = limits;
    this.anonymize = anonymize;
    this.nanoTime = nanoTime;
    this.startNanos = nanoTime.getAsLong();
  }

  /** One directory of the reader's walk and where it goes in the capture. */
  record Dir(CgroupDir walked, String outPath, String inodesPath) {}

  /** One cgroup mount to copy, with its directories in pre-order (root first). */
  record MountPlan(MountInfo mount, String outPath, List<Dir> dirs) {}

  /** What {@link #plan()} found: the mountinfo lines to write and the mounts to copy. */
  record Plan(List<String> mountinfoLines, List<MountPlan> mounts) {}

  /** The outcome. {@code incompleteReason} is null when everything was copied. */
  record Result(long cgroups, long files, long bytes, long vanished, long skipped, long placeholders,
      String kernelRelease, String incompleteReason) {
    boolean complete() {
      return incompleteReason == null;
    }
  }

  /** Everything: host files, the walk, the copy, then INODES and CAPTURED. */
  Result run(CaptureSink sink, Clock clock, String commandLine) throws IOException {
    Instant started = clock.instant();
    String incomplete = null;
    // The record first, saying "in progress": a capture killed or stuck from here on never reads as complete.
    sink.record(CaptureRecord.FILE, (CaptureRecord.IN_PROGRESS + "\n").getBytes(StandardCharsets.UTF_8));
    try {
      copyHostFiles(sink);
      Plan plan = plan();
      writeMountinfo(sink, plan);
      copy(plan, sink);
    } catch (CaptureIncompleteException e) {
      incomplete = e.getMessage();
    }
    Result result = result(incomplete);
    sink.file("INODES", String.join("", inodes).getBytes(StandardCharsets.UTF_8), -1);
    sink.record(CaptureRecord.FILE, CapturedManifest.render(result, started, clock.instant(),
        anonymize ? "(anonymized)" : commandLine, anonymize, anonymize ? List.of() : skippedFiles)
        .getBytes(StandardCharsets.UTF_8));
    sink.finish();
    return result;
  }

  Result result(String incompleteReason) {
    return new Result(cgroupsCopied, filesWritten, bytesWritten, vanished, skipped, placeholders, kernelRelease,
        incompleteReason);
  }

  // ---- host files ----

  void copyHostFiles(CaptureSink sink) throws IOException, CaptureIncompleteException {
    for (String f : ReadPlan.PROC_FILES) {
      copyHostFile(sink, source.procRoot().resolve(f), "proc/" + f);
    }
    for (String f : ReadPlan.HOST_FILES) {
      copyHostFile(sink, source.hostRoot().resolve(f), f);
    }
    if (!anonymize) { // pod namespaces and names say what runs where: an anonymized capture keeps only UIDs
      copyPodLogDirs(sink);
    }
  }

  /**
   * The kubelet's pod log directories the reader would use (owners), as empty directories: names only, never a
   * log. Absent or unreadable on this host: nothing to copy, the reader treats a capture without it the same way.
   */
  private void copyPodLogDirs(CaptureSink sink) throws IOException, CaptureIncompleteException {
    Path dir = source.hostRoot().resolve(ReadPlan.POD_LOG_DIRS);
    ControlFiles.Listing listing;
    try {
      HostRoots.requireInside(source.hostRoot(), dir, "/" + ReadPlan.POD_LOG_DIRS);
      listing = files.list(dir);
    } catch (IOException | HostRoots.OutsideRootException e) {
      return;
    }
    List<ControlFiles.Subdirectory> pods = listing.subdirectories().stream()
        .filter(d -> io.cgwatch.cgroupfs.PodLogDirectories.parse(d.name()) != null).toList();
    if (pods.isEmpty()) {
      return;
    }
    // the parents' own mtimes say nothing cgwatch reads: they get the newest pod directory's
    long now = pods.stream().mapToLong(ControlFiles.Subdirectory::modifiedMillis).max().orElse(0);
    String path = "";
    for (String part : ReadPlan.POD_LOG_DIRS.split("/")) {
      path = path.isEmpty() ? part : path + "/" + part;
      sink.directory(path, now);
    }
    for (ControlFiles.Subdirectory d : pods) {
      charge(1, 0);
      sink.directory(ReadPlan.POD_LOG_DIRS + "/" + d.name(), d.modifiedMillis());
    }
  }

  private void copyHostFile(CaptureSink sink, Path from, String to) throws IOException, CaptureIncompleteException {
    byte[] content;
    try {
      content = SourceFiles.read(from, MAX_FILE_BYTES);
    } catch (NoSuchFileException e) {
      return; // absent on this host: the reader treats it the same way
    } catch (IOException e) {
      skip(to, e);
      return;
    }
    if (to.equals("proc/sys/kernel/osrelease")) {
      String r = new String(content, StandardCharsets.UTF_8).strip();
      kernelRelease = r.isEmpty() ? kernelRelease : r;
    }
    charge(1, content.length);
    sink.file(to, content, -1);
  }

  // ---- step 1: mountinfo and the walk ----

  /** Reads mountinfo, picks the cgroup mounts the reader would pick, and walks them. Reads no control file. */
  Plan plan() throws CaptureIncompleteException {
    String mountinfo;
    try {
      mountinfo = new String(SourceFiles.read(source.procRoot().resolve(ReadPlan.MOUNTINFO), MAX_MOUNTINFO_BYTES),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      skip("proc/self/mountinfo", e);
      return new Plan(List.of(), List.of());
    }
    CapturedMountinfo kept = CapturedMountinfo.of(mountinfo, anonymize);
    List<MountPlan> mounts = new ArrayList<>();
    for (ReadPlan.Mount chosen : ReadPlan.mounts(kept.cgroupMounts())) { // the reader's choice, not a copy of it
      MountInfo m = chosen.mount();
      String out = outPath(m.mountPoint());
      if (out == null) {
        skipped++;
        skippedFiles.add(anonymize ? "(a mount point outside the capture)" : m.mountPoint() + " (outside the capture)");
        continue;
      }
      Path at;
      try {
        at = source.resolveMountPoint(m.mountPoint());
      } catch (HostRoots.OutsideRootException e) { // a forged mountinfo line: nothing outside the root is read
        skipped++;
        skippedFiles.add(anonymize ? "(a mount point outside the root)" : e.getMessage());
        continue;
      }
      mounts.add(new MountPlan(m, out, walk(at, out)));
    }
    return new Plan(kept.lines(), mounts);
  }

  /** Where a mount point goes in the capture ({@code --host-root} resolves it the same way), or null. */
  static String outPath(String mountPoint) {
    String rel = mountPoint.startsWith("/") ? mountPoint.substring(1) : mountPoint;
    Path p = Path.of(rel).normalize();
    if (p.toString().isEmpty() || p.startsWith("..") || p.isAbsolute()) {
      return null;
    }
    return p.toString().replace('\\', '/');
  }

  /** An INODES path: relative to sys/fs/cgroup, "." for it. */
  private static String inodesPath(String outPath) {
    Path rel = Path.of("sys/fs/cgroup").relativize(Path.of(outPath));
    String s = rel.toString();
    return s.isEmpty() ? "." : s;
  }

  /**
   * The reader's walk of one mount ({@link ReadPlan#walk}), its directories renamed into the capture (hashed
   * under {@code --anonymize}). Its vanished directories are counted, its errors skipped, and its stops are
   * capture's bounds: the directory bound is {@code --max-files}, the deadline {@code --timeout}.
   */
  List<Dir> walk(Path mountFsPath, String mountOut) throws CaptureIncompleteException {
    checkTime();
    int bound = (int) Math.max(1, Math.min(Integer.MAX_VALUE, limits.maxFiles()));
    ReadPlan.Walk walk = ReadPlan.walk(files, mountFsPath, mountOut,
        ScanOptions.DEFAULTS.withBounds(bound, ScanOptions.DEFAULT_MAX_WALK_DEPTH), this::inTime);
    vanished += walk.vanished();
    if (walk.outOfTime()) {
      checkTime(); // throws: the walk stopped because the deadline had passed
    }
    for (ScanError e : walk.errors()) {
      if (e.kind() == ScanError.Kind.LIMIT_CGROUPS) {
        throw new CaptureIncompleteException("--max-files " + limits.maxFiles() + " reached while walking");
      }
      skip(e.path() + ": " + e.message());
    }
    List<Dir> out = new ArrayList<>();
    for (CgroupDir d : walk.dirs()) {
      String outPath = d.parent() < 0 ? mountOut
          : out.get(d.parent()).outPath() + "/" + (anonymize ? Anonymizer.name(d.name()) : d.name());
      out.add(new Dir(d, outPath, inodesPath(outPath)));
    }
    return out;
  }

  // ---- step 2: the copy ----

  private void writeMountinfo(CaptureSink sink, Plan plan) throws IOException, CaptureIncompleteException {
    byte[] content = plan.mountinfoLines().stream().map(l -> l + "\n").reduce("", String::concat)
        .getBytes(StandardCharsets.UTF_8);
    charge(1, content.length);
    sink.file("proc/self/mountinfo", content, -1);
  }

  /** Reads and writes every directory of the plan; one whose directory is gone by now is skipped and counted. */
  void copy(Plan plan, CaptureSink sink) throws IOException, CaptureIncompleteException {
    for (MountPlan m : plan.mounts()) {
      boolean[] gone = new boolean[m.dirs().size()];
      for (int i = 0; i < m.dirs().size(); i++) {
        CgroupDir d = m.dirs().get(i).walked();
        if (d.parent() >= 0 && gone[d.parent()]) {
          gone[i] = true; // inside a cgroup that vanished: counted once, at its top
          continue;
        }
        checkTime();
        gone[i] = !copyDir(m.dirs().get(i), sink);
      }
    }
  }

  /** False when the cgroup vanished before its files were read. */
  private boolean copyDir(Dir to, CaptureSink sink) throws IOException, CaptureIncompleteException {
    CgroupDir d = to.walked();
    Map<String, byte[]> content = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(d.files());
    names.sort(null);
    for (String name : names) {
      boolean placeholder = d.depth() == 0 && ReadPlan.PRESENCE_AT_ROOT.contains(name);
      if (!placeholder && !CONTROL_FILES.contains(name) && !PROCS.equals(name)) {
        continue;
      }
      if (placeholder) {
        content.put(name, new byte[0]);
        continue;
      }
      Path file = d.fsPath().resolve(name);
      try {
        if (PROCS.equals(name)) {
          // Never the PIDs: empty when the cgroup had no process, the single line "1" when it had any, so a
          // v1 leaf's "populated" (an empty cgroup.procs) survives.
          content.put(name, SourceFiles.hasContent(file) ? "1\n".getBytes(StandardCharsets.US_ASCII) : new byte[0]);
        } else {
          content.put(name, SourceFiles.read(file, MAX_FILE_BYTES));
        }
      } catch (NoSuchFileException e) {
        if (d.depth() > 0 && !files.isDirectory(d.fsPath())) {
          vanished++;
          return false;
        }
        // listed, gone now (a controller disabled meanwhile): absent, as the reader would see it
      } catch (IOException e) {
        if (d.depth() > 0 && !files.isDirectory(d.fsPath())) {
          vanished++;
          return false;
        }
        skip(to.outPath() + "/" + name, e);
      }
    }
    long bytes = content.values().stream().mapToLong(b -> b.length).sum();
    charge(1 + content.size(), bytes);
    sink.directory(to.outPath(), d.modifiedMillis());
    for (Map.Entry<String, byte[]> e : content.entrySet()) {
      boolean procs = PROCS.equals(e.getKey());
      sink.file(to.outPath() + "/" + e.getKey(), e.getValue(), procs ? d.procsModifiedMillis() : -1);
      if (d.depth() == 0 && ReadPlan.PRESENCE_AT_ROOT.contains(e.getKey())) {
        placeholders++;
      }
    }
    cgroupsCopied++;
    inodes.add(d.inode() + " " + to.inodesPath() + "\n");
    return true;
  }

  // ---- reading, bounds, bookkeeping ----

  private void skip(String what, IOException e) {
    String reason = e instanceof AccessDeniedException ? "permission denied"
        : e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? fse.getReason()
        : String.valueOf(e.getMessage());
    skip(what + ": " + reason);
  }

  private void skip(String line) {
    skipped++;
    if (skippedFiles.size() < 20) {
      skippedFiles.add(line);
    }
  }

  private void charge(long nFiles, long nBytes) throws CaptureIncompleteException {
    checkTime();
    if (filesWritten + nFiles > limits.maxFiles()) {
      throw new CaptureIncompleteException("--max-files " + limits.maxFiles() + " reached");
    }
    if (bytesWritten + nBytes > limits.maxBytes()) {
      throw new CaptureIncompleteException("--max-bytes " + limits.maxBytes() + " reached");
    }
    filesWritten += nFiles;
    bytesWritten += nBytes;
  }

  private boolean inTime() {
    return nanoTime.getAsLong() - startNanos < limits.timeout().toNanos();
  }

  private void checkTime() throws CaptureIncompleteException {
    if (!inTime()) {
      throw new CaptureIncompleteException("--timeout " + limits.timeout() + " reached");
    }
  }
}
