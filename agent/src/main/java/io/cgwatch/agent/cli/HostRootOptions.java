package io.cgwatch.agent.cli;

import io.cgwatch.cgroupfs.HostRoots;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where to read the host from; shared by every command that reads cgroups. */
public final class HostRootOptions {
  @Option(names = "--host-root", paramLabel = "DIR", defaultValue = "/",
      description = "The host's / : reads proc/self/mountinfo, proc/cgroups and the cgroup mounts under it "
          + "(e.g. /host in a container). Default: ${DEFAULT-VALUE}.")
  Path hostRoot;

  @Option(names = "--proc-root", paramLabel = "DIR",
      description = "The host's /proc, if not <host-root>/proc.")
  Path procRoot;

  @Option(names = "--cgroup-root", paramLabel = "DIR",
      description = "Where the host's /sys/fs/cgroup is visible, if not <host-root>/sys/fs/cgroup.")
  Path cgroupRoot;

  public HostRoots roots() {
    return HostRoots.of(hostRoot, procRoot, cgroupRoot);
  }
}
