package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.agent.serve.ServeSettings;
import io.cgwatch.support.Fixtures;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** How serve settings come from defaults, the YAML file and flags (flags win). */
class ServeConfigTest {
  private static ServeSettings settings(String... args) {
    ServeCommand cmd = new ServeCommand(Clock.systemUTC());
    new CommandLine(cmd).parseArgs(args);
    return cmd.settings();
  }

  @Test
  void defaults() {
    ServeSettings s = settings("--host-root", Fixtures.host("legacy-v1").toString());
    assertEquals(new InetSocketAddress(9756), s.listen());
    assertEquals(Duration.ofSeconds(15), s.interval());
    assertEquals(3, s.maxDepth());
    assertEquals(2000, s.maxCgroups());
    assertEquals(20, s.maxOwners());
    assertEquals(Duration.ofMillis(100), s.rootMemoryStatBudget());
  }

  @Test
  void yamlKeysAndFlagsThatWin(@TempDir Path tmp) throws Exception {
    Path yml = tmp.resolve("cgwatch.yml");
    Files.writeString(yml, """
        listen: 127.0.0.1:9999
        interval: 30s
        host_root: %s
        max_depth: 2
        include: ["/system.slice/**"]
        exclude: ["/user.slice/**"]
        max_cgroups: 50
        max_owners: 5
        root_memory_stat_budget: 250ms
        leak_threshold: 2h
        basic_auth_users:
          prometheus: "$2y$04$abcdefghijklmnopqrstuu5Rbvxf2y0x3uVHO0QQ4U4GXuF9yE3pu"
        """.formatted(Fixtures.host("legacy-v1")));
    ServeSettings fromFile = settings("--config", yml.toString());
    assertEquals(new InetSocketAddress("127.0.0.1", 9999), fromFile.listen());
    assertEquals(Duration.ofSeconds(30), fromFile.interval());
    assertEquals(2, fromFile.maxDepth());
    assertEquals(List.of("/system.slice/**"), fromFile.include());
    assertEquals(50, fromFile.maxCgroups());
    assertEquals(5, fromFile.maxOwners());
    assertEquals(Duration.ofHours(2), fromFile.leakThreshold());
    assertEquals(Map.of("prometheus", "$2y$04$abcdefghijklmnopqrstuu5Rbvxf2y0x3uVHO0QQ4U4GXuF9yE3pu"),
        fromFile.basicAuthUsers());
    ServeSettings flags = settings("--config", yml.toString(), "--interval", "5s", "--max-depth", "4",
        "--max-owners", "7");
    assertEquals(7, flags.maxOwners());
    assertEquals(Duration.ofSeconds(5), flags.interval());
    assertEquals(4, flags.maxDepth());
    assertEquals(50, flags.maxCgroups(), "keys not given as flags still come from the file");
    assertEquals(Fixtures.host("legacy-v1"), flags.roots().hostRoot(), "host_root from the file (shared mixin)");
    ServeSettings hostFlag = settings("--config", yml.toString(), "--host-root", Fixtures.host("unified-6.1-dying")
        .toString(), "--proc-root", tmp.toString());
    assertEquals(Fixtures.host("unified-6.1-dying"), hostFlag.roots().hostRoot(), "--host-root wins over the file");
    assertEquals(tmp, hostFlag.roots().procRoot());
  }

  @Test
  void aTypoInTheConfigIsAClearError(@TempDir Path tmp) throws Exception {
    Path yml = tmp.resolve("typo.yml");
    Files.writeString(yml, "intervall: 5s\n");
    ParameterException e = assertThrows(ParameterException.class, () -> settings("--config", yml.toString()));
    assertTrue(e.getMessage().contains("typo.yml") && e.getMessage().contains("intervall"), e.getMessage());
  }

  @Test
  void badValuesAreUsageErrors(@TempDir Path tmp) {
    assertThrows(ParameterException.class, () -> settings("--listen", "nowhere"));
    assertThrows(ParameterException.class, () -> settings("--interval", "0s", "--host-root", tmp.toString()));
    assertThrows(ParameterException.class, () -> settings("--max-cgroups", "-1", "--host-root", tmp.toString()));
    assertThrows(ParameterException.class, () -> settings("--max-owners", "-1", "--host-root", tmp.toString()));
    assertThrows(ParameterException.class, () -> settings("--host-root", tmp.resolve("missing").toString()));
  }
}
