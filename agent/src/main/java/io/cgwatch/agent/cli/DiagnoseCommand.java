package io.cgwatch.agent.cli;

import io.cgwatch.agent.host.OshiHostInfo;
import io.cgwatch.cgroupfs.CgroupScanner;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.cgroupfs.ScanOptions;
import io.cgwatch.exporters.json.JsonReportRenderer;
import io.cgwatch.exporters.text.TextReportRenderer;
import io.cgwatch.model.HostSnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** One scan, one report. Wiring only: scanner → snapshot → renderer → stdout. */
@Command(name = "diagnose", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Reads the host's cgroup hierarchies once and reports how many cgroups are dying, and where.")
final class DiagnoseCommand implements Callable<Integer> {
  private final Clock clock;

  @Spec
  CommandSpec spec;

  @Mixin
  HostRootOptions host = new HostRootOptions();

  @Option(names = "--max-depth", paramLabel = "N",
      description = "Read files only of cgroups at most N levels below a hierarchy's root (all are still "
          + "counted). Default: no limit.")
  Integer maxDepth;

  @Option(names = "--json", description = "Print the report as JSON (schema in docs/json-schema.md).")
  boolean json;

  DiagnoseCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException {
    if (maxDepth != null && maxDepth < 0) {
      throw new ParameterException(spec.commandLine(), "--max-depth must be 0 or more, got " + maxDepth);
    }
    HostRoots roots = host.roots();
    if (!Files.isDirectory(roots.hostRoot())) {
      throw new ParameterException(spec.commandLine(), "--host-root " + roots.hostRoot() + ": not a directory");
    }
    ScanOptions options = new ScanOptions(maxDepth == null ? ScanOptions.UNLIMITED_DEPTH : maxDepth);
    HostSnapshot snapshot = new CgroupScanner().scan(roots, options, clock);
    if (roots.isLiveHost()) {
      snapshot = snapshot.withHost(OshiHostInfo.read(snapshot.host()));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonReportRenderer.render(snapshot, out);
    } else {
      TextReportRenderer.render(snapshot, out);
    }
    out.flush();
    return 0;
  }
}
