package io.cgwatch.agent.cli;

import io.cgwatch.agent.replay.Replay;
import io.cgwatch.agent.units.DurationConverter;
import io.cgwatch.exporters.json.JsonReportRenderer;
import io.cgwatch.exporters.text.ReplayTimeline;
import io.cgwatch.exporters.text.TextReportRenderer;
import io.cgwatch.model.Analysis;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
      out.write(ReplayTimeline.render(steps.stream().map(s -> new ReplayTimeline.Capture(s.capturedAt(),
          s.root().toString(), s.capturedInodes(), s.analysis())).toList()));
      out.write('\n');
      TextReportRenderer.render(last, out);
    }
    out.flush();
    return 0;
  }
}
