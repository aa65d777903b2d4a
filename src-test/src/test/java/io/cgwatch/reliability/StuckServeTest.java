package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cgwatch.fixtures.HostTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's {@code serve} on a tree that first holds a FIFO named like a control file (before the fix: the only
 * scan thread stuck for good, {@code cgwatch_up 0}, nothing logged, {@code /healthz} 200), then whose reads hang:
 * a hung filesystem, made by attaching strace to the JVM and delaying every syscall on those files by 10 minutes
 * (the thread is held in the kernel, as in open(2) of a FIFO, and no interrupt frees it). Then the tree is fixed:
 * the trap cgroups are removed and strace detaches, so the held syscalls return.
 */
class StuckServeTest {
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Duration SCAN_TIMEOUT = Duration.ofSeconds(2);
  static final int TRAPS = 6;

  @Test
  void fifoThenHungReadsHealthzFailsWhileStuckAndServeRecoversAlone(@TempDir Path tmp) throws Exception {
    Path strace = Reliability.require("strace", "strace");
    if (!"root".equals(System.getProperty("user.name"))) {
      System.out.println("SKIPPED StuckServeTest: attaching strace to the serve JVM needs root (ptrace)");
      return;
    }
    Path host = tmp.resolve("host");
    HostTree t = HostTree.unified(host).kernel("6.12.0");
    t.cgroup("/").file("cgroup.stat", "nr_descendants 7\nnr_dying_descendants 0\n");
    t.cgroup("/ok").file("memory.current", "4096\n").file("cgroup.stat", "nr_descendants 0\n");
    List<Path> trapFiles = new ArrayList<>();
    for (int i = 0; i < TRAPS; i++) {
      HostTree.Cgroup c = t.cgroup("/trap" + i).file("memory.current", "4096\n").file("cgroup.stat",
          "nr_descendants 0\n").file("memory.events", "oom 0\n");
      trapFiles.add(c.dir().resolve("memory.current"));
      trapFiles.add(c.dir().resolve("cgroup.stat"));
      trapFiles.add(c.dir().resolve("memory.events"));
    }
    Path fifo = host.resolve("sys/fs/cgroup/trap0/memory.stat");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());

    // a stand-in for systemd's notify socket: records every sd_notify datagram with its time
    Path notifySocket = tmp.resolve("notify");
    Path pings = tmp.resolve("pings");
    Files.writeString(pings, "");
    Process listener = new ProcessBuilder(Reliability.require("python3", "python3").toString(), "-c",
        "import socket,sys,time\n"
        + "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM);s.bind(sys.argv[1]);s.settimeout(0.5)\n"
        + "end=time.time()+180\n"
        + "while time.time()<end:\n"
        + "  try: d=s.recv(4096)\n"
        + "  except socket.timeout: continue\n"
        + "  f=open(sys.argv[2],'a');f.write(d.decode()+'\\n');f.close()\n",
        notifySocket.toString(), pings.toString()).inheritIO().start();
    for (int i = 0; i < 100 && !Files.exists(notifySocket); i++) {
      Thread.sleep(50);
    }
    List<String> cmd = ServeProcess.java("-Xmx128m");
    cmd.addAll(List.of("serve", "--listen", "127.0.0.1:0", "--interval", "1s", "--scan-timeout", "2s",
        "--host-root", host.toString()));
    try (ServeProcess serve = ServeProcess.start(cmd, java.util.Map.of("NOTIFY_SOCKET", notifySocket.toString(),
        "WATCHDOG_USEC", "1000000"))) {
      // 1. the FIFO: a per-file error, scans go on
      String body = await(serve.port, "a scan with the FIFO's error", b -> FaultsTest.sample(b,
          "cgwatch_up", null, null) == 1.0 && b.contains("file=\"memory.stat\",kind=\"not_regular_file\""));
      assertEquals(200, Reliability.get(serve.port, "/healthz").statusCode(), body);

      // 2. reads that never return
      List<String> st = new ArrayList<>(List.of(strace.toString(), "-f", "-qq", "-o", "/dev/null", "-p",
          Long.toString(serve.process.pid()), "-e", "trace=%file,%desc", "-e", "inject=%file:delay_enter=600s"));
      for (Path f : trapFiles) {
        st.addAll(List.of("-P", f.toString()));
      }
      Process tracer = new ProcessBuilder(st).redirectErrorStream(true).redirectOutput(tmp.resolve("strace.out")
          .toFile()).start();
      long stuckAt = System.nanoTime();
      try {
        int code = awaitHealthz(serve.port, 503, Duration.ofSeconds(60));
        double failedFor = (System.nanoTime() - stuckAt) / 1e9;
        String healthz = Reliability.get(serve.port, "/healthz").body();
        assertTrue(healthz.contains("unhealthy"), healthz);
        body = await(serve.port, "cgwatch_up 0 while stuck", b -> FaultsTest.sample(b, "cgwatch_up", null,
            null) == 0.0);
        assertTrue(body.contains("kind=\"timeout\""), body);
        int stuckThreads = serve.threadsNamed("cgwatch-scan");
        System.out.printf("stuck: /healthz %d after %.1f s (%s), %d cgwatch-scan threads%n", code, failedFor,
            healthz.strip(), stuckThreads);
        assertTrue(stuckThreads <= 1 + 4, "stuck threads are bounded: " + stuckThreads);
        String log = String.join("\n", serve.log);
        assertTrue(log.contains("scan abandoned after 2000 ms: a read did not return"), log);
        // the systemd watchdog: pings stop while unhealthy
        long before = watchdogPings(pings);
        Thread.sleep(2000);
        assertEquals(before, watchdogPings(pings), "no WATCHDOG=1 while /healthz fails");
        assertTrue(log.contains("systemd watchdog pings stopped"), log);
      } finally {
        // 3. the tree is fixed: the traps removed, then the filesystem answers again
        for (int i = 0; i < TRAPS; i++) {
          try (Stream<Path> s = Files.walk(host.resolve("sys/fs/cgroup/trap" + i))) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
              Files.delete(p);
            }
          }
        }
        tracer.destroy();
        tracer.waitFor();
      }
      long fixedAt = System.nanoTime();
      await(serve.port, "cgwatch_up 1 after the fix", b -> FaultsTest.sample(b, "cgwatch_up", null, null) == 1.0);
      double upAfter = (System.nanoTime() - fixedAt) / 1e9;
      assertEquals(200, awaitHealthz(serve.port, 200, Duration.ofSeconds(30)));
      double healthyAfter = (System.nanoTime() - fixedAt) / 1e9;
      System.out.printf("recovered: cgwatch_up 1 after %.2f s, /healthz 200 after %.2f s (interval %d s)%n",
          upAfter, healthyAfter, INTERVAL.toSeconds());
      assertTrue(upAfter <= 3 * INTERVAL.toSeconds(), "cgwatch_up 1 within three intervals of the fix: " + upAfter);
      assertTrue(String.join("\n", serve.log).contains("scans recovered"), String.join("\n", serve.log));
      long after = watchdogPings(pings);
      for (int i = 0; i < 50 && watchdogPings(pings) == after; i++) {
        Thread.sleep(100);
      }
      assertTrue(watchdogPings(pings) > after, "WATCHDOG=1 again once healthy");
      assertTrue(Files.readString(pings).startsWith("READY=1"), Files.readString(pings));
    } finally {
      listener.destroy();
      listener.waitFor();
    }
  }

  static long watchdogPings(Path pings) throws java.io.IOException {
    return Files.readAllLines(pings).stream().filter(l -> l.equals("WATCHDOG=1")).count();
  }

  /** Polls /metrics until {@code ok} holds (at most 60 s); returns that body. */
  static String await(int port, String what, Predicate<String> ok) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last = "";
    while (System.nanoTime() < end) {
      last = Reliability.get(port, "/metrics").body();
      if (ok.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    fail("no " + what + " within 60 s; last /metrics:\n" + last);
    return last;
  }

  static int awaitHealthz(int port, int want, Duration bound) throws Exception {
    long end = System.nanoTime() + bound.toNanos();
    int last = -1;
    while (System.nanoTime() < end) {
      last = Reliability.get(port, "/healthz").statusCode();
      if (last == want) {
        return last;
      }
      Thread.sleep(100);
    }
    fail("/healthz never answered " + want + " within " + bound + " (last " + last + ")");
    return last;
  }
}
