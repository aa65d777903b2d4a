package io.cgwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.support.Fixtures;
import io.cgwatch.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /usr/bin/cgwatch is generated from ./cgwatch: the JVM flags the repository launcher picks are the installed
 * ones, and the installed one runs the jar it is pointed at without ever building.
 */
class PackagedLauncherTest {
  private static final String PACKAGED_JAR_LINE = "jar=" + PackageFiles.PACKAGED_JAR;

  @Test
  void theBuiltLauncherIsTheRepositoryLaunchersRunPart() throws Exception {
    String repoLauncher = Files.readString(Tools.repo().resolve("cgwatch"));
    String built = Files.readString(Tools.deployTarget().resolve("generated/launcher/cgwatch"));
    assertEquals(PackageFiles.packagedLauncher(repoLauncher), built, "rebuild deploy/ after editing ./cgwatch");
    String run = repoLauncher.substring(repoLauncher.indexOf(PackageFiles.RUN_MARKER));
    assertTrue(built.endsWith(run), built);
    assertTrue(run.contains("jvm_flags"), "the JVM flags are in the shared part:\n" + run);
    assertTrue(!built.contains("mvn"), "the installed launcher never builds:\n" + built);
  }

  @Test
  void aLauncherWithoutTheMarkerIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PackageFiles.packagedLauncher("#!/bin/bash\nexec java -jar x.jar\n"));
    assertTrue(e.getMessage().contains(PackageFiles.RUN_MARKER), e.getMessage());
  }

  @Test
  void repositoryOnlyStepsFindNothingInTheInstalledTree(@TempDir Path dir) throws Exception {
    // A run part that uses a file of the checkout when it exists, as a class-data archive would.
    String built = PackageFiles.packagedLauncher("#!/bin/bash\nrepo=.\n" + PackageFiles.RUN_MARKER + " x\n"
        + "extra=$repo/agent/target/extra\n[[ -e $extra ]] && echo \"uses $extra\"\necho \"jar $jar\"\n");
    Path launcher = dir.resolve("cgwatch");
    Files.writeString(launcher, built.replace("jar=" + PackageFiles.PACKAGED_JAR,
        "jar=" + Tools.repo().resolve("agent/target/cgwatch.jar")));
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Tools.Run r = Tools.run(List.of(launcher.toString()), Map.of());
    assertEquals(0, r.exit(), r.err());
    assertEquals("jar " + Tools.repo().resolve("agent/target/cgwatch.jar") + "\n", r.out());
  }

  @Test
  void theInstalledLauncherRunsDiagnose(@TempDir Path dir) throws Exception {
    // The launcher as packaged, pointed at the jar this build made instead of /usr/share/cgwatch/cgwatch.jar.
    String built = Files.readString(Tools.deployTarget().resolve("generated/launcher/cgwatch"));
    assertTrue(built.contains("\n" + PACKAGED_JAR_LINE + "\n"), built);
    Path launcher = dir.resolve("cgwatch");
    Files.writeString(launcher, built.replace(PACKAGED_JAR_LINE,
        "jar=" + Tools.repo().resolve("agent/target/cgwatch.jar")));
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Tools.Run r = Tools.run(List.of(launcher.toString(), "diagnose", "--host-root",
        Fixtures.host("unified-6.1-dying").toString()), Map.of("PATH", "/usr/bin:/bin"));
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("dying memory cgroups: 5 "), r.out());
  }
}
