package io.cgwatch.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "cgwatch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Finds the cgroups the kernel keeps alive after removal (dying cgroups) and what they cost.",
    exitCodeListHeading = "%nExit codes (diagnose, as a monitoring check):%n",
    exitCodeList = {"0:OK", "1:WARNING", "2:CRITICAL", "3:UNKNOWN, or bad usage"})
final class RootCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
