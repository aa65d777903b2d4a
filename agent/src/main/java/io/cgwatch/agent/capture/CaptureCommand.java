package io.cgwatch.agent.capture;

import io.cgwatch.agent.units.DurationConverter;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.NioControlFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Copies what cgwatch reads from a host into a host-root tree (or a .tar.gz of one) that
 * {@code cgwatch diagnose --host-root OUT} reads later: a bug report, a fixture, a before/after. Read-only on the
 * host. Exit 0 when complete, 1 when a limit stopped it (what was written stays), 3 on bad usage.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
    versionProvider = io.cgwatch.agent.cli.VersionProvider.class, exitCodeOnInvalidInput = 3,
    exitCodeOnExecutionException = 3,
    description = "Copies the cgroup files cgwatch reads (and the host files it needs) into OUT, in the layout "
        + "--host-root reads: `cgwatch diagnose --host-root OUT` reports on the capture. OUT is a directory that "
        + "must not exist or be empty, or a file ending in .tar.gz. Exit 0 when complete, 1 when --max-files, "
        + "--max-bytes or --timeout stopped it (what was written is kept, CAPTURED says so), 3 on bad usage.")
public final class CaptureCommand implements Callable<Integer> {
  private final Clock clock;

  @Spec
  CommandSpec spec;




  @Parameters(index = "0", paramLabel = "OUT",
      description = "A directory that does not exist or is empty, or a new file ending in .tar.gz.")
  Path out;

  @Mixin
  io.cgwatch.agent.cli.HostRootOptions host = new io.cgwatch.agent.cli.HostRootOptions();

  @Option(names = "--anonymize", description = "Replace every cgroup directory name with cg-<12 hex of SHA-256 "
      + "of the name> (stable across captures); the tree's shape, mount points and numbers are kept.")
  boolean anonymize;

  @Option(names = "--max-files", paramLabel = "N", defaultValue = "200000",
      description = "Stop (exit 1) after writing this many files and directories. Default: ${DEFAULT-VALUE}.")
  long maxFiles;

  @Option(names = "--max-bytes", paramLabel = "SIZE", defaultValue = "512MiB",
      description = "Stop (exit 1) after writing this much file content: 1048576, 64KiB, 100MiB, 2GiB. "
          + "Default: ${DEFAULT-VALUE}.")
  String maxBytes;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
      description = "Stop (exit 1) after this long (100ms, 15s, 5m). Default: ${DEFAULT-VALUE}.")
  String timeout;

  public CaptureCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException {
    CaptureLimits limits = limits();
    HostRoots roots = host.roots();
    if (!Files.isDirectory(roots.hostRoot())) {
      throw usage("--host-root " + roots.hostRoot() + ": not a directory");
    }
    boolean tar = out.getFileName() != null && out.getFileName().toString().endsWith(".tar.gz");
    checkOut(tar);
    Capturer capturer = new Capturer(roots, new NioControlFiles(), limits, anonymize, System::nanoTime);
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter e = spec.commandLine().getErr();
    Capturer.Result r;
    try {
      r = BoundedCapture.run(() -> {
        try (CaptureSink sink = new ProgressSink(tar ? new TarGzSink(out, clock.millis()) : new DirectorySink(out),
            io.cgwatch.agent.cli.Progress.onTerminal(e))) {
          return capturer.run(sink, clock, commandLine());
        }
      }, limits.timeout(), timeout, out);
    } catch (BoundedCapture.Failure f) {
      e.println(f.getMessage());
      e.flush();
      return 1;
    }
    String summary = String.format(Locale.ROOT,
        "%d cgroups, %d files and directories, %d bytes; %d vanished while copying, %d files skipped", r.cgroups(),
        r.files(), r.bytes(), r.vanished(), r.skipped());
    if (!r.complete()) {
      e.println("capture incomplete: " + r.incompleteReason() + "; kept what was written in " + out + " ("
          + summary + ")");
      e.flush();
      return 1;
    }
    o.println("captured " + out + ": " + summary);
    o.flush();
    return 0;
  }

  private String commandLine() {
    // Under the root command the original arguments start with "capture" already; run alone, they do not.
    String prefix = spec.root() == spec ? "cgwatch capture " : "cgwatch ";
    return prefix + String.join(" ", spec.commandLine().getParseResult().originalArgs());
  }

  private CaptureLimits limits() {
    if (maxFiles < 1) {
      throw usage("--max-files must be 1 or more, got " + maxFiles);
    }
    long bytes;
    try {
      bytes = parseSize(maxBytes);
    } catch (IllegalArgumentException ex) {
      throw usage("--max-bytes: " + ex.getMessage());
    }
    Duration t;
    try {
      t = DurationConverter.parse(timeout);
    } catch (RuntimeException ex) {
      throw usage("--timeout: " + ex.getMessage());
    }
    return new CaptureLimits(maxFiles, bytes, t);
  }

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|B|KiB|MiB|GiB|TiB|K|M|G|T)");

  /** {@code 1048576}, {@code 64KiB}, {@code 512MiB}, {@code 2GiB} (K, M, G, T are binary too). */
  static long parseSize(String s) {
    Matcher m = SIZE.matcher(s == null ? "" : s.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + s + "' is not a size like 1048576, 64KiB, 512MiB or 2GiB");
    }
    int shift = switch (m.group(2)) {
      case "K", "KiB" -> 10;
      case "M", "MiB" -> 20;
      case "G", "GiB" -> 30;
      case "T", "TiB" -> 40;
      default -> 0;
    };
    long n = Long.parseLong(m.group(1));
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + s + "' is too large");
    }
    return n << shift;
  }

  private void checkOut(boolean tar) throws IOException {
    if (tar) {
      if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
        throw usage("OUT " + out + " already exists; give a new .tar.gz file");
      }
      Path parent = out.toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent)) {
        throw usage("OUT " + out + ": its directory does not exist");
      }
      return;
    }
    if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
      throw usage("OUT " + out + " exists and is not a directory; give a new or empty directory");
    }
    try (Stream<Path> s = Files.list(out)) {
      if (s.findAny().isPresent()) {
        throw usage("OUT " + out + " is not empty; give a new or empty directory (a capture never overwrites)");
      }
    }
    Path src = host.roots().hostRoot().toAbsolutePath().normalize();
    if (out.toAbsolutePath().normalize().startsWith(src) && !src.equals(Path.of("/"))) {
      throw usage("OUT " + out + " is inside --host-root " + host.roots().hostRoot());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
