package io.cgwatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What cgwatch needs: reading cgroupfs and /proc, which an ordinary user may do. {@code diagnose} and
 * {@code serve} run as {@code nobody} (setpriv, no groups, no capabilities) on the live host and see what root
 * sees: the same hierarchies and dying count, and no permission-denied file.
 */
@Tag("live") // the live host's kernel: skip with -DexcludedGroups=live (README, Tests)
class LeastPrivilegeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<String> asNobody(Path jar, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Reliability.onPath("setpriv").toString(), "--reuid=nobody",
        "--regid=nogroup", "--clear-groups", "--inh-caps=-all"));
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:-UsePerfData", "-Xmx256m", "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  @Test
  void diagnoseAndServeAsNobodyReadWhatRootReads(@TempDir Path tmp) throws Exception {
    if (Reliability.onPath("setpriv") == null || !"root".equals(System.getProperty("user.name"))
        || !Files.isDirectory(Path.of("/sys/fs/cgroup"))) {
      System.out.println("SKIPPED LeastPrivilegeTest: needs root (to drop to nobody), setpriv and a cgroup mount");
      Assumptions.abort("needs root and setpriv");
    }
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar = Files.copy(ServeProcess.jar(), tmp.resolve("cgwatch.jar"));
    Map<String, String> env = Map.of("HOME", tmp.toString());

    Reliability.Run nobody = Reliability.run(asNobody(jar, "diagnose", "--json"), env, null, Duration.ofSeconds(120));
    List<String> rootCmd = new ArrayList<>(asNobody(jar, "diagnose", "--json"));
    rootCmd.subList(0, 5).clear(); // the same java command without setpriv
    Reliability.Run root = Reliability.run(rootCmd, env, null, Duration.ofSeconds(120));
    assertTrue(nobody.exit() <= 2, "diagnose as nobody: exit " + nobody.exit() + " " + nobody.err());
    JsonNode n = JSON.readTree(nobody.out());
    JsonNode r = JSON.readTree(root.out());
    assertEquals(hierarchies(r), hierarchies(n), "nobody sees every hierarchy root sees");
    assertEquals(r.get("dying_memory_cgroups").get("method"), n.get("dying_memory_cgroups").get("method"));
    for (JsonNode e : n.get("scan").get("errors")) {
      assertTrue(!e.get("kind").asText().equals("permission_denied"), "as nobody: " + e);
    }
    System.out.println("PRIVILEGE diagnose as nobody: " + n.get("scan").get("cgroups") + " cgroups, dying "
        + n.get("dying_memory_cgroups").get("count") + " (root: " + r.get("scan").get("cgroups") + ", "
        + r.get("dying_memory_cgroups").get("count") + "), " + n.get("scan").get("errors").size() + " errors");

    List<String> serveCmd = asNobody(jar, "serve", "--listen", "127.0.0.1:0", "--interval", "2s");
    try (ServeProcess serve = ServeProcess.start(serveCmd, env)) {
      FaultsTest.awaitUp(serve.port, 1.0);
      String body = Reliability.get(serve.port, "/metrics").body();
      // Every kind is exported at 0 from the start: none may have counted anything.
      assertTrue(body.lines().noneMatch(l -> l.contains("kind=\"permission_denied\"") && !l.endsWith(" 0.0")),
          "no permission-denied file as nobody");
      Reliability.promtoolClean("serve as nobody", body);
    }
  }

  private static TreeSet<String> hierarchies(JsonNode report) {
    TreeSet<String> names = new TreeSet<>();
    report.get("hierarchies").forEach(h -> names.add(h.get("name").asText()));
    return names;
  }
}
