package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.ManualClock;
import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.agent.serve.Serve;
import io.cgwatch.cgroupfs.HostRoots;
import io.cgwatch.support.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults around serve: the host root disappears, its cgroup mount is replaced, it becomes unreadable to the
 * (non-root) agent, Alertmanager is down or never answers. The agent stays up, says {@code cgwatch_up 0}, logs
 * the failure once, and recovers by itself; Alertmanager trouble never slows the scans.
 */
class FaultsTest {
  static final Duration INTERVAL = Duration.ofSeconds(15);

  static double sample(String body, String name, String label, String value) {
    return Reliability.parseExposition(body).stream()
        .filter(s -> s.name().equals(name) && (label == null || value.equals(s.labels().get(label))))
        .mapToDouble(s -> Double.parseDouble(s.value())).findFirst().orElse(Double.NaN);
  }

  static long count(String log, String msg) {
    return log.lines().filter(l -> l.contains("\"msg\":\"" + msg + "\"")).count();
  }

  @Test
  void hostRootGoneAndCgroupMountReplacedGiveUpZeroOneLogLineAndRecovery(@TempDir Path tmp) throws Exception {
    Path host = tmp.resolve("host");
    copy(Fixtures.host("unified-6.1-dying"), host);
    ManualClock clock = new ManualClock(Instant.parse("2026-11-25T12:00:00Z"));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (Serve serve = Serve.start(Reliability.settings(HostRoots.of(host), INTERVAL), clock, "faults",
        new JsonLog(new PrintStream(log, true, StandardCharsets.UTF_8), clock), false)) {
      serve.pollNow();
      String body = Reliability.get(serve.port(), "/metrics").body();
      assertEquals(1.0, sample(body, "cgwatch_up", null, null));

      Files.move(host, tmp.resolve("moved-away")); // the host root disappears
      for (int i = 0; i < 4; i++) {
        clock.advance(INTERVAL);
        serve.pollNow();
      }
      body = Reliability.get(serve.port(), "/metrics").body();
      assertEquals(0.0, sample(body, "cgwatch_up", null, null), "stale after 3 failed intervals");
      assertEquals(4.0, sample(body, "cgwatch_scans_total", "result", "failure"));
      assertEquals(1, count(log.toString(StandardCharsets.UTF_8), "scan failed"), "logged once:\n" + log);
      assertTrue(log.toString(StandardCharsets.UTF_8).contains("no cgroup hierarchy found"), log.toString());
      assertEquals(503, Reliability.get(serve.port(), "/readyz").statusCode());

      Files.move(tmp.resolve("moved-away"), host); // it comes back
      clock.advance(INTERVAL);
      serve.pollNow();
      body = Reliability.get(serve.port(), "/metrics").body();
      assertEquals(1.0, sample(body, "cgwatch_up", null, null));
      assertEquals(1, count(log.toString(StandardCharsets.UTF_8), "scans recovered"));
      assertEquals(5.0, sample(body, "cgwatch_dying_memory_cgroups", null, null));

      // The cgroup mount is replaced: first gone, then another tree (the clean capture, nothing dying) in its place.
      Path cg = host.resolve("sys/fs/cgroup");
      Files.move(cg, tmp.resolve("old-cgroup"));
      for (int i = 0; i < 4; i++) {
        clock.advance(INTERVAL);
        serve.pollNow();
      }
      body = Reliability.get(serve.port(), "/metrics").body();
      assertEquals(0.0, sample(body, "cgwatch_up", null, null));
      assertEquals(2, count(log.toString(StandardCharsets.UTF_8), "scan failed"), "one line for the new cause");
      copy(Fixtures.host("unified-6.1-clean").resolve("sys/fs/cgroup"), cg);
      clock.advance(INTERVAL);
      serve.pollNow();
      body = Reliability.get(serve.port(), "/metrics").body();
      assertEquals(1.0, sample(body, "cgwatch_up", null, null));
      assertEquals(0.0, sample(body, "cgwatch_dying_memory_cgroups", null, null), "the new tree's numbers");
      assertEquals(2, count(log.toString(StandardCharsets.UTF_8), "scans recovered"));
      System.out.println("FAULTS host root gone/back and mount replaced: log lines "
          + log.toString(StandardCharsets.UTF_8).lines().count() + " for 10 scans");
    }
  }

  @Test
  void unreadableHostRootAsNobody(@TempDir Path tmp) throws Exception {
    Path setpriv = Reliability.onPath("setpriv");
    if (setpriv == null || !"root".equals(System.getProperty("user.name"))) {
      System.out.println("SKIPPED FaultsTest.unreadableHostRootAsNobody: needs root and setpriv to drop to nobody");
      Assumptions.abort("needs root and setpriv");
    }
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path host = tmp.resolve("host");
    copy(Fixtures.host("unified-6.1-dying"), host);
    Path jar = tmp.resolve("cgwatch.jar");
    Files.copy(ServeProcess.jar(), jar);
    List<String> cmd = new ArrayList<>(List.of(setpriv.toString(), "--reuid=nobody", "--regid=nogroup",
        "--clear-groups"));
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx128m", "-jar", jar.toString(), "serve", "--listen", "127.0.0.1:0", "--interval",
        "300ms", "--host-root", host.toString()));
    try (ServeProcess serve = ServeProcess.start(cmd, Map.of("HOME", tmp.toString()))) {
      awaitUp(serve.port, 1.0);
      Path proc = host.resolve("proc");
      Files.setPosixFilePermissions(proc, PosixFilePermissions.fromString("rwx------")); // root only now
      try {
        awaitUp(serve.port, 0.0);
        Thread.sleep(1500); // several more failed scans
        assertTrue(serve.process.isAlive());
      } finally {
        Files.setPosixFilePermissions(proc, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      awaitUp(serve.port, 1.0);
      String all = String.join("\n", serve.log);
      String body = Reliability.get(serve.port, "/metrics").body();
      double failed = sample(body, "cgwatch_scans_total", "result", "failure");
      System.out.println("FAULTS unreadable as nobody: " + (long) failed + " failed scans, "
          + count(all, "scan failed") + " 'scan failed' line, recovered");
      assertTrue(failed >= 4, "scans failed while unreadable: " + failed);
      assertEquals(1, count(all, "scan failed"), "logged once: " + all);
      assertTrue(all.contains("permission denied"), all);
      assertEquals(1, count(all, "scans recovered"), all);
    }
  }

  static void awaitUp(int port, double want) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    double last = Double.NaN;
    while (System.nanoTime() < deadline) {
      last = sample(Reliability.get(port, "/metrics").body(), "cgwatch_up", null, null);
      if (last == want) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("cgwatch_up did not become " + want + " within 60 s (last " + last + ")");
  }

  @Test
  void alertmanagerDownOrNeverAnsweringDoesNotSlowScans(@TempDir Path tmp) throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(blackhole.accept()); // accepts and never answers
          }
        } catch (Exception ignored) {
          // closed at the end
        }
      }, "blackhole");
      acceptor.setDaemon(true);
      acceptor.start();
      int down = freePort();
      Path config = tmp.resolve("cgwatch.yml");
      Files.writeString(config, "alerts:\n  rules:\n    DyingCgroupsHigh: {threshold: 1, for: 0s}\n"
          + "  alertmanager_urls: [\"http://127.0.0.1:" + blackhole.getLocalPort() + "\", \"http://127.0.0.1:"
          + down + "\"]\n");
      List<String> cmd = ServeProcess.java("-Xmx128m");
      cmd.addAll(List.of("serve", "--listen", "127.0.0.1:0", "--interval", "200ms", "--host-root",
          Fixtures.host("unified-6.1-dying").toString(), "--config", config.toString()));
      try (ServeProcess serve = ServeProcess.start(cmd, null)) {
        awaitUp(serve.port, 1.0);
        String b1 = Reliability.get(serve.port, "/metrics").body();
        Thread.sleep(5000);
        String b2 = Reliability.get(serve.port, "/metrics").body();
        double scans = sample(b2, "cgwatch_scans_total", "result", "success")
            - sample(b1, "cgwatch_scans_total", "result", "success");
        System.out.println("FAULTS Alertmanager blackhole + down: " + (long) scans + " scans in 5 s at 200 ms"
            + " interval; alert firing: " + b2.contains("alertname=\"DyingCgroupsHigh\""));
        assertTrue(b2.contains("alertname=\"DyingCgroupsHigh\""), "the alert fires, so deliveries are attempted");
        assertTrue(scans >= 10, "scans kept their pace while Alertmanager hangs: " + scans + " in 5 s");
        assertEquals(1.0, sample(b2, "cgwatch_up", null, null));
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static void copy(Path from, Path to) throws Exception {
    try (var s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
