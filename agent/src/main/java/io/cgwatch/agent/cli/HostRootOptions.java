package io.cgwatch.agent.cli;

import io.cgwatch.cgroupfs.HostRoots;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where to read the host from; the one mixin of every command that reads cgroups (diagnose, serve, capture,
 * reclaim). No picocli default, so serve can tell a flag from its config file's key: {@link #roots(HostRoots)}.
 */
public final class HostRootOptions {
  @Option(names = "--host-root", paramLabel = "DIR",
      description = "The host's / : reads proc/self/mountinfo, proc/cgroups and the cgroup mounts under it "
          + "(e.g. /host in a container). Default: /.")
  Path hostRoot;

  @Option(names = "--proc-root", paramLabel = "DIR",
      description = "The host's /proc, if not <host-root>/proc.")
  Path procRoot;

  @Option(names = "--cgroup-root", paramLabel = "DIR",
      description = "Where the host's /sys/fs/cgroup is visible, if not <host-root>/sys/fs/cgroup.")
  Path cgroupRoot;

  public HostRoots roots() {
    return HostRoots.of(hostRoot == null ? Path.of("/") : hostRoot, procRoot, cgroupRoot);
  }

  /** The flags given, each one not given taken from {@code fallback} (serve: the config file's keys). */
  public HostRoots roots(Path hostFallback, Path procFallback, Path cgroupFallback) {
    Path host = hostRoot != null ? hostRoot : hostFallback != null ? hostFallback : Path.of("/");
    return HostRoots.of(host, procRoot != null ? procRoot : procFallback,
        cgroupRoot != null ? cgroupRoot : cgroupFallback);
  }
}
