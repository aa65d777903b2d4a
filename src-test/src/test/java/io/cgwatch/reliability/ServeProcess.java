package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.support.Fixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cgwatch serve} as a user runs it: the packaged jar in its own JVM (so JDK HTTP server settings apply as
 * in production, whatever other tests did in this JVM), its JSON log collected, stopped with SIGTERM.
 */
final class ServeProcess implements AutoCloseable {
  private static final Pattern LISTEN = Pattern.compile("\"listen\":\"[^\"]*:(\\d+)\"");

  final Process process;
  final int port;
  final List<String> log = Collections.synchronizedList(new ArrayList<>());

  private ServeProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static Path jar() {
    Path jar = Fixtures.dir().resolve("../agent/target/cgwatch.jar").normalize();
    assertTrue(Files.isRegularFile(jar), jar + " is built by the agent module before the tests run");
    return jar;
  }

  static List<String> java(String... jvmFlags) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(List.of(jvmFlags));
    cmd.addAll(List.of("-jar", jar().toString()));
    return cmd;
  }

  /** Starts {@code serve} with these arguments (add --listen 127.0.0.1:0) and waits for its start-up line. */
  static ServeProcess start(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    if (env != null) {
      pb.environment().putAll(env);
    }
    Process p = pb.start();
    BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    List<String> early = new ArrayList<>();
    Matcher m = null;
    for (String line = err.readLine(); line != null && early.size() < 20; line = err.readLine()) {
      early.add(line);
      m = LISTEN.matcher(line);
      if (m.find()) {
        break;
      }
      m = null;
    }
    if (m == null) {
      p.destroyForcibly();
      throw new AssertionError("no start-up line from " + command + ": " + early);
    }
    ServeProcess s = new ServeProcess(p, Integer.parseInt(m.group(1)));
    s.log.addAll(early);
    Thread drain = new Thread(() -> {
      try {
        for (String line = err.readLine(); line != null; line = err.readLine()) {
          s.log.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "serve-log");
    drain.setDaemon(true);
    drain.start();
    return s;
  }

  /** The process's thread count from /proc (all JVM threads: GC, JIT, the HTTP pool, the poller...). */
  int threads() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.substring(8).trim());
      }
    }
    throw new IOException("no Threads: line");
  }

  /** Threads whose name starts with {@code prefix} (from /proc/PID/task/TID/comm, 15 characters at most). */
  int threadsNamed(String prefix) throws IOException {
    int n = 0;
    try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          if (Files.readString(t.resolve("comm")).startsWith(prefix)) {
            n++;
          }
        } catch (java.nio.file.NoSuchFileException gone) {
          // the thread ended while we looked
        }
      }
    }
    return n;
  }

  /** Open file descriptors of the process. */
  int fds() throws IOException {
    try (var s = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
      return (int) s.count();
    }
  }

  /** SIGTERM as a service manager sends it, then SIGKILL after 20 s. */
  @Override
  public void close() throws IOException {
    try {
      new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
