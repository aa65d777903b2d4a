package io.cgwatch.agent.cli;

import io.cgwatch.agent.replay.Replay;
import io.cgwatch.exporters.json.JsonReportRenderer;
import io.cgwatch.exporters.text.HumanUnits;
import io.cgwatch.exporters.text.TerminalSafe;
import io.cgwatch.exporters.text.TextReportRenderer;
import io.cgwatch.model.Analysis;
import io.cgwatch.model.LifecycleView;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Diagnoses a host after the fact from captures taken over time. Wiring only: Replay → renderers. */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Runs cgwatch over captures of one host taken at different times (cgwatch capture, oldest first) "
        + "and reports what was created, removed and left dying, and what page cache stayed behind.")
final class ReplayCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "CAPTURE", arity = "1..*", description = "Capture directories or .tar.gz archives "
      + "(cgwatch capture), oldest first.")
  List<Path> captures;

  @Option(names = "--leak-threshold", paramLabel = "DURATION", defaultValue = "1h",
      converter = DurationConverter.class,
      description = "An empty, childless cgroup idle this long is a visible leak. Default: ${DEFAULT-VALUE}.")
  Duration leakThreshold;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML file whose alerts.rules tune the alerts.")
  Path config;

  @Option(names = "--json", description = "Print the report of the last capture as JSON, with the lifecycle.")
  boolean json;

  @Option(names = "--allow-incomplete", description = "Read captures that cgwatch capture marked incomplete, or "
      + "that have no completion record (killed, disk full), with a warning; without it: exit 3.")
  boolean allowIncomplete;

  @Override
  public Integer call() throws IOException {
    List<Replay.Step> steps;
    try {
      ServeConfig c = config == null ? ServeConfig.EMPTY : ServeConfig.load(config);
      steps = Replay.run(captures, leakThreshold, c.ruleOverrides(), allowIncomplete,
          w -> spec.commandLine().getErr().println(w));
    } catch (io.cgwatch.agent.capture.CaptureRecord.IncompleteException e) {
      spec.commandLine().getErr().println(e.getMessage());
      spec.commandLine().getErr().flush();
      return 3;
    } catch (IllegalArgumentException | picocli.CommandLine.TypeConversionException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (io.cgwatch.agent.replay.TarGz.BadArchiveException e) {
      spec.commandLine().getErr().println("cannot replay " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 3;
    } catch (java.util.zip.ZipException e) {
      throw new ParameterException(spec.commandLine(), "not a .tar.gz capture: " + e.getMessage());
    }
    Analysis last = steps.get(steps.size() - 1).analysis();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonReportRenderer.render(last, out);
    } else {
      out.write(timeline(steps));
      out.write('\n');
      TextReportRenderer.render(last, out);
    }
    out.flush();
    return 0;
  }

  /** One line per capture: what the kernel counted and what cgwatch learned by then. */
  private static String timeline(List<Replay.Step> steps) {
    StringBuilder sb = new StringBuilder("replay of ").append(steps.size()).append(" captures, ")
        .append(steps.get(0).capturedAt()).append(" to ").append(steps.get(steps.size() - 1).capturedAt())
        .append('\n');
    sb.append(String.format(Locale.ROOT, "  %-24s  %6s  %7s  %7s  %9s  %7s  %13s  %s%n", "TIME", "DYING", "CREATED",
        "REMOVED", "RECREATED", "ZOMBIES", "ORPHANED FILE", "CAPTURE"));
    for (Replay.Step s : steps) {
      Analysis a = s.analysis();
      LifecycleView l = a.lifecycle().orElse(null);
      sb.append(String.format(Locale.ROOT, "  %-24s  %6s  %7s  %7s  %9s  %7s  %13s  %s%n", s.capturedAt(),
          a.snapshot().dyingMemoryCgroups().count().stream().mapToObj(Long::toString).findFirst().orElse("-"),
          l == null ? "-" : l.created(), l == null ? "-" : l.removed(), l == null ? "-" : l.recreated(),
          l == null ? "-" : l.zombies().size(),
          a.hostOrphaned().bytes().fileBytes().stream().mapToObj(HumanUnits::bytes).findFirst().orElse("-"),
          TerminalSafe.escape(s.root().toString()) + (s.capturedInodes() ? "" : " (no INODES: identity by path)")));
    }
    return sb.toString();
  }
}
