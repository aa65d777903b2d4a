package io.cgwatch.agent.serve;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.cgwatch.agent.log.JsonLog;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * sd_notify(3) for the systemd watchdog ({@code WatchdogSec=} in deploy/systemd/cgwatch.service): sends
 * {@code READY=1} once, then {@code WATCHDOG=1} every half {@code WATCHDOG_USEC}, but only while
 * {@link Poller#healthProblem} says healthy. When scans stop returning (reads stuck in the kernel), the pings stop
 * and systemd kills and restarts the service. Does nothing unless systemd set {@code NOTIFY_SOCKET} (and
 * {@code WATCHDOG_USEC} for the pings). The datagram goes through the C library via JNA (on the classpath for
 * OSHI): the JDK has no Unix datagram sockets.
 */
final class SystemdWatchdog implements AutoCloseable {
  private final ScheduledExecutorService timer;

  private SystemdWatchdog(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Starts pinging when systemd asked for it; empty otherwise. */
  static Optional<SystemdWatchdog> start(Map<String, String> env, Poller poller, Clock clock, JsonLog log) {
    String socket = env.get("NOTIFY_SOCKET");
    if (socket == null || socket.isEmpty()) {
      return Optional.empty();
    }
    String pid = env.get("WATCHDOG_PID");
    if (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
      return Optional.empty(); // the watchdog is another process's
    }
    Notifier n = new Notifier(socket);
    if (!n.send("READY=1")) {
      log.warn("sd_notify failed: no systemd watchdog pings", Map.of("notify_socket", socket));
      return Optional.empty();
    }
    long usec;
    try {
      usec = Long.parseLong(String.valueOf(env.get("WATCHDOG_USEC")));
    } catch (NumberFormatException e) {
      return Optional.empty(); // notify without watchdog
    }
    if (usec <= 0) {
      return Optional.empty();
    }
    Duration every = Duration.ofNanos(Math.max(1_000_000L, usec * 1000 / 2));
    ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread th = new Thread(r, "cgwatch-watchdog");
      th.setDaemon(true);
      return th;
    });
    String[] lastProblem = {null};
    t.scheduleAtFixedRate(() -> {
      Optional<String> problem = poller.healthProblem(clock.instant());
      if (problem.isEmpty()) {
        n.send("WATCHDOG=1");
        if (lastProblem[0] != null) {
          log.info("healthy again: systemd watchdog pings resumed", Map.of());
          lastProblem[0] = null;
        }
      } else if (lastProblem[0] == null) {
        lastProblem[0] = problem.get();
        log.error("unhealthy: systemd watchdog pings stopped, systemd will restart cgwatch",
            Map.of("reason", problem.get()));
      }
    }, 0, every.toNanos(), TimeUnit.NANOSECONDS);
    log.info("systemd watchdog pings", Map.of("every_seconds", every.toMillis() / 1000.0));
    return Optional.of(new SystemdWatchdog(t));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** One datagram to {@code $NOTIFY_SOCKET} (a path, or {@code @name} in the abstract namespace). */
  static final class Notifier {
    interface C extends Library {
      int socket(int domain, int type, int protocol);

      NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrlen);

      int close(int fd);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private final String socket;
    private C c;

    Notifier(String socket) {
      this.socket = socket;
    }

    boolean send(String message) {
      try {
        if (c == null) {
          c = Native.load("c", C.class);
        }
        byte[] path = socket.getBytes(StandardCharsets.UTF_8);
        if (path.length > 107) {
          return false;
        }
        byte[] addr = new byte[2 + 108];
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        addr[little ? 0 : 1] = AF_UNIX;
        System.arraycopy(path, 0, addr, 2, path.length);
        int len = 2 + path.length;
        if (path[0] == '@') {
          addr[2] = 0; // abstract namespace: no terminating NUL counted
        } else {
          len++; // the NUL
        }
        int fd = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
          return false;
        }
        try {
          byte[] msg = message.getBytes(StandardCharsets.UTF_8);
          return c.sendto(fd, msg, new NativeLong(msg.length), MSG_NOSIGNAL, addr, len).longValue() == msg.length;
        } finally {
          c.close(fd);
        }
      } catch (LinkageError e) {
        return false;
      }
    }
  }
}
