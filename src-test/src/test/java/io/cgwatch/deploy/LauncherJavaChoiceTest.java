package io.cgwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.support.Fixtures;
import io.cgwatch.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which JVM ./cgwatch runs, as a user sees it (CGWATCH_LAUNCHER_DEBUG=1 prints the command line it execs, --version
 * the Java that runs): Java 17 with the CDS archive when no newer JDK is there; a Java 25+ JDK with its AOT cache,
 * trained on first use, when one is; a stale cache ignored. Each test runs the launcher in a copy of the checkout's
 * layout (the launcher, the jar, the training fixture) so the caches it makes are its own.
 */
class LauncherJavaChoiceTest {
  private static final String FIXTURE = "fixtures/hosts/unified-6.1-dying";
  private static final Path JVM_DIR = Path.of("/usr/lib/jvm");

  @Test
  void withoutANewerJdkItIsJava17AndTheCdsArchive(@TempDir Path dir) throws Exception {
    Path repo = checkout(dir);
    Path noJdks = Files.createDirectories(dir.resolve("jvm"));
    Tools.Run r = launch(repo, Map.of("CGWATCH_JVM_DIR", noJdks.toString()), "diagnose", "--host-root",
        Fixtures.host("unified-6.1-dying").toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("dying memory cgroups: 5 "), r.out());
    String exec = execLine(r);
    assertTrue(exec.startsWith("java "), "the java on PATH: " + exec);
    assertTrue(exec.contains(" -XX:SharedArchiveFile=" + repo.resolve("agent/target/cgwatch.jsa") + " "), exec);
    assertFalse(exec.contains("AOTCache"), exec);
    assertTrue(Files.size(repo.resolve("agent/target/cgwatch.jsa")) > 0, "the CDS archive was trained");
    assertEquals(List.of(), aotCaches(repo));
    Tools.Run version = launch(repo, Map.of("CGWATCH_JVM_DIR", noJdks.toString()), "--version");
    assertTrue(version.out().contains("Java 17."), version.out());
  }

  @Test
  void aNewerJdkRunsWithItsAotCacheAndAStaleCacheIsIgnored(@TempDir Path dir) throws Exception {
    Optional<Path> jdk = newestJdk25();
    Assumptions.assumeTrue(jdk.isPresent(), "skipped: no JDK 25 or newer under " + JVM_DIR
        + " (the launcher's Java 17 fallback is tested without one)");
    Path repo = checkout(dir);
    Path jar = repo.resolve("agent/target/cgwatch.jar");

    Tools.Run first = launch(repo, Map.of(), "diagnose", "--host-root", Fixtures.host("unified-6.1-dying").toString());
    assertEquals(0, first.exit(), first.err());
    assertTrue(first.out().contains("dying memory cgroups: 5 "), first.out());
    List<Path> caches = aotCaches(repo);
    assertEquals(1, caches.size(), "one cache, trained on first use: " + caches);
    Path cache = caches.get(0);
    assertTrue(Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) > 0);
    String exec = execLine(first);
    assertTrue(exec.startsWith(jdk.get().resolve("bin/java") + " "), exec);
    assertTrue(exec.contains(" -XX:AOTCache=" + cache + " "), exec);
    assertFalse(exec.contains("SharedArchiveFile"), exec);
    // The JVM accepted the cache: nothing on stderr but the launcher's own line.
    assertEquals(List.of("cgwatch launcher: exec " + exec), first.err().lines().toList(), first.err());
    Tools.Run version = launch(repo, Map.of(), "--version");
    assertTrue(version.out().contains("Java " + feature(jdk.get()) + "."), version.out());
    // serve keeps Java 17 (its footprint was measured there), and CGWATCH_AOT=0 turns the cache off.
    assertFalse(execLine(launch(repo, Map.of(), "serve", "--help")).contains("AOTCache"));
    assertTrue(execLine(launch(repo, Map.of("CGWATCH_AOT", "0"), "--version")).startsWith("java "));

    // A jar newer than the cache, where no training can run (no fixture): the stale cache is never used.
    Files.delete(repo.resolve(FIXTURE));
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    Tools.Run stale = launch(repo, Map.of(), "--version");
    assertEquals(0, stale.exit(), stale.err());
    String staleExec = execLine(stale);
    assertTrue(staleExec.startsWith("java "), staleExec);
    assertFalse(staleExec.contains("AOTCache") || staleExec.contains("SharedArchiveFile"), staleExec);
    assertTrue(stale.out().contains("Java 17."), stale.out());
  }

  @Test
  void aNewerJdkThatCannotMakeACacheFallsBackToJava17AndIsNotRetried(@TempDir Path dir) throws Exception {
    Path repo = checkout(dir);
    // A "JDK 26" whose java fails every run (no AOT support, a broken install): it may cost one training attempt.
    Path jdk = Files.createDirectories(dir.resolve("jvm/broken-26/bin"));
    Files.writeString(jdk.getParent().resolve("release"), "JAVA_VERSION=\"26\"\nJAVA_RUNTIME_VERSION=\"26+1\"\n");
    Path calls = dir.resolve("calls");
    Files.writeString(jdk.resolve("java"), "#!/bin/sh\necho run >> '" + calls + "'\nexit 1\n");
    Files.setPosixFilePermissions(jdk.resolve("java"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> env = Map.of("CGWATCH_JVM_DIR", dir.resolve("jvm").toString());
    for (int run = 0; run < 2; run++) {
      Tools.Run r = launch(repo, env, "diagnose", "--host-root", Fixtures.host("unified-6.1-dying").toString());
      assertEquals(0, r.exit(), r.err());
      assertTrue(r.out().contains("dying memory cgroups: 5 "), r.out());
      String exec = execLine(r);
      assertTrue(exec.startsWith("java ") && exec.contains(" -XX:SharedArchiveFile="), exec);
    }
    assertEquals(1, Files.readAllLines(calls).size(), "one training attempt, none after it failed");
    assertEquals(List.of(), aotCaches(repo));
  }

  /** The launcher, a copy of the jar and the training fixture, laid out as in a checkout. */
  private static Path checkout(Path dir) throws IOException {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.copy(Tools.repo().resolve("cgwatch"), repo.resolve("cgwatch"));
    Files.copy(Tools.repo().resolve("agent/target/cgwatch.jar"),
        Files.createDirectories(repo.resolve("agent/target")).resolve("cgwatch.jar"));
    Path fixture = repo.resolve(FIXTURE);
    Files.createDirectories(fixture.getParent());
    Files.createSymbolicLink(fixture, Fixtures.host("unified-6.1-dying"));
    return repo;
  }

  private static Tools.Run launch(Path repo, Map<String, String> extraEnv, String... args) {
    Map<String, String> env = new HashMap<>(Map.of("CGWATCH_LAUNCHER_DEBUG", "1", "JAVA_HOME", ""));
    env.putAll(extraEnv);
    List<String> command = new ArrayList<>(List.of("bash", repo.resolve("cgwatch").toString()));
    command.addAll(List.of(args));
    return Tools.run(command, env);
  }

  private static String execLine(Tools.Run r) {
    return r.err().lines().filter(l -> l.startsWith("cgwatch launcher: exec ")).findFirst()
        .map(l -> l.substring("cgwatch launcher: exec ".length()))
        .orElseThrow(() -> new AssertionError("no launcher line on stderr:\n" + r.err()));
  }

  private static List<Path> aotCaches(Path repo) throws IOException {
    try (Stream<Path> s = Files.list(repo.resolve("agent/target"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".aot")).sorted().toList();
    }
  }

  private static Optional<Path> newestJdk25() throws IOException {
    if (!Files.isDirectory(JVM_DIR)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(JVM_DIR)) {
      return s.filter(h -> Files.isExecutable(h.resolve("bin/java")) && feature(h) >= 25)
          .max(java.util.Comparator.comparingInt(LauncherJavaChoiceTest::feature));
    }
  }

  private static int feature(Path home) {
    try {
      Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(home.resolve("release")));
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
