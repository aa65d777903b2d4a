package io.cgwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cgwatch.agent.cli.Cli;
import io.cgwatch.agent.cli.CliRunner;
import io.cgwatch.agent.cli.VersionProvider;
import io.cgwatch.support.Fixtures;
import io.cgwatch.support.Tools;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image file: a Java 17 runtime base, non-root, copies files the build makes, and its command works:
 * it is run here as the container would run it, with /host being a fixture host root.
 */
class ContainerfileTest {
  private static final String HOST = "/host";
  private static final String PROC_LINKS = "/usr/share/cgwatch/host-proc";

  @Test
  void baseUserAndCopiedFilesAreRight() {
    ContainerImage image = ContainerImage.read();
    assertTrue(image.from().matches(".*17.*jre.*") || image.from().matches(".*jre.*17.*"), image.from());
    // Fully qualified (registry host/namespace/name:tag): Debian's podman has no unqualified-search registries.
    assertTrue(image.from().matches("[a-z0-9-]+(\\.[a-z0-9-]+)+(:\\d+)?/[a-z0-9._/-]+:[A-Za-z0-9._-]+"), image.from());
    assertNotNull(image.user(), "no USER: the image would run as root");
    assertTrue(image.user().matches("[1-9]\\d*(:\\d+)?"), "USER must be a numeric non-root uid: " + image.user());
    assertEquals(2, image.copies().size());
    for (String[] copy : image.copies()) {
      Path source = Tools.repo().resolve(copy[0]);
      assertTrue(Files.isRegularFile(source), "COPY " + copy[0] + ": not built (mvn package makes it)");
    }
    assertEquals(List.of("/usr/share/cgwatch/cgwatch.jar", "/usr/bin/cgwatch"),
        image.copies().stream().map(c -> c[1]).toList(), "the Debian package's layout");
    assertEquals(List.of("/usr/bin/cgwatch"), image.entrypoint());
    // The image tag follows the project version.
    assertEquals("cgwatch/cgwatch:" + VersionProvider.version().replace("-SNAPSHOT", ""), image.image());
  }

  @Test
  void commandParsesAndItsProcRootHasWhatTheReaderOpens() {
    ContainerImage image = ContainerImage.read();
    Cli.commandLine(CliRunner.FIXED).parseArgs(image.cmd().toArray(String[]::new));
    assertEquals(HOST, image.cmdFlag("--host-root"));
    assertEquals(PROC_LINKS, image.cmdFlag("--proc-root"));
    assertEquals(List.of(image.cmdFlag("--web.listen-address").replaceFirst("^.*:", "")), image.exposed());
    // cgwatch opens proc-root/{self/mountinfo, cgroups, meminfo, cmdline, sys/kernel/osrelease}.
    Set<String> names = image.symlinks().keySet();
    for (String entry : List.of("self", "cgroups", "meminfo", "cmdline", "sys")) {
      assertTrue(names.contains(PROC_LINKS + "/" + entry), "no " + entry + " in " + names);
    }
    assertEquals("/host/proc/1", image.symlinks().get(PROC_LINKS + "/self"),
        "self must be the host's pid 1: /host/proc/self would be this container");
  }

  @Test
  void theImagesCommandServesAFixtureHost(@TempDir Path dir) throws Exception {
    ContainerImage image = ContainerImage.read();
    // /host holds only what the DaemonSet mounts of the real 6.1 capture, where it mounts it.
    Path container = Files.createDirectories(dir.resolve("container"));
    DaemonSetMounts.layOut(Fixtures.host("unified-6.1-dying"), container);
    Path host = container.resolve(HOST.substring(1));
    // The image's proc-root links, made here with /host being the laid-out fixture. A capture's proc/self was taken
    // on the host itself, so it stands for the host's pid 1.
    Path links = Files.createDirectories(dir.resolve("host-proc"));
    image.symlinks().forEach((link, target) -> {
      String local = target.equals("/host/proc/1") ? host.resolve("proc/self").toString()
          : target.replaceFirst("^/host", host.toString());
      try {
        Files.createSymbolicLink(links.resolve(Path.of(link).getFileName()), Path.of(local));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Path launcher = dir.resolve("cgwatch");
    Files.writeString(launcher, Files.readString(Tools.deployTarget().resolve("generated/launcher/cgwatch"))
        .replace("jar=" + PackageFiles.PACKAGED_JAR, "jar=" + Tools.repo().resolve("agent/target/cgwatch.jar")));
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    for (String arg : image.commandLine()) {
      command.add(switch (arg) {
        case "/usr/bin/cgwatch" -> launcher.toString();
        case HOST -> host.toString();
        case PROC_LINKS -> links.toString();
        default -> arg.equals(image.cmdFlag("--web.listen-address")) ? "127.0.0.1:" + port : arg;
      });
    }
    Path log = dir.resolve("serve.log");
    Process serve = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      String metrics = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (metrics == null && System.nanoTime() < deadline) {
        if (!serve.isAlive()) {
          fail("serve exited " + serve.exitValue() + ":\n" + Files.readString(log));
        }
        try {
          HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
              + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
          if (ready.statusCode() == 200) {
            metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
          }
        } catch (java.io.IOException notYet) {
          // not listening yet
        }
        Thread.sleep(200);
      }
      assertNotNull(metrics, "serve never got ready:\n" + Files.readString(log));
      assertTrue(metrics.contains("cgwatch_dying_memory_cgroups{method=\"nr_dying_descendants\",} 5.0"), metrics);
      // Every host file came through the links: the host's kernel release, no read errors.
      assertTrue(metrics.contains("cgwatch_host_info{"), metrics);
      // Every metric the host can give, the ones from sys/devices/system/cpu included (a pod without that mount
      // had no CPU count, hence no kernel-memory estimate).
      assertTrue(metrics.contains("\ncgwatch_host_cpus 2.0\n"), metrics);
      assertTrue(metrics.contains("\ncgwatch_host_memory_bytes "), metrics);
      assertTrue(metrics.contains("\ncgwatch_dying_memcg_kernel_memory_bytes "), metrics);
      assertTrue(metrics.lines().noneMatch(l -> l.startsWith("cgwatch_scan_errors") && !l.endsWith(" 0.0")), metrics);
    } finally {
      serve.destroy();
      assertTrue(serve.waitFor(20, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
      if (serve.isAlive()) {
        serve.destroyForcibly();
      }
    }
    assertNotEquals(143, serve.exitValue(), "serve should exit 0 on SIGTERM:\n" + Files.readString(log));
  }
}
