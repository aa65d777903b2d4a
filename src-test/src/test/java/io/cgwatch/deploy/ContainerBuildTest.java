package io.cgwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cgwatch.agent.cli.VersionProvider;
import io.cgwatch.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * deploy/container/Containerfile, unmodified, builds with Debian's buildah (the engine of podman build), with a
 * locally made base image standing in for the registry's: .ci/container-build.sh. The image's config is what the
 * Containerfile says, and its entrypoint starts cgwatch. No registry is reached; RUN steps use chroot isolation.
 */
@Tag("container")
class ContainerBuildTest {
  @Test
  void theContainerfileBuildsWithBuildahAndItsEntrypointRuns() throws Exception {
    Tools.onPath("buildah").orElseGet(() -> fail("buildah is not installed: apt-get install buildah (./test does)"));
    if (!"root".equals(System.getProperty("user.name"))) {
      System.out.println("SKIPPED ContainerBuildTest: buildah with vfs storage needs root here");
      org.junit.jupiter.api.Assumptions.abort("needs root");
    }
    Path work = Files.createTempDirectory(Path.of("/var/tmp"), "cgwatch-container-build-");
    try {
      Tools.Run r = Tools.run(List.of("bash", Tools.repo().resolve(".ci/container-build.sh").toString(),
          work.toString()), Map.of());
      assertEquals(0, r.exit(), "container-build.sh:\n" + r.err());
      JsonNode config = new ObjectMapper().readTree(r.out().strip().lines().reduce((a, b) -> b).orElse("{}"));
      ContainerImage image = ContainerImage.read();
      assertEquals(image.user(), config.path("User").asText());
      assertEquals(image.entrypoint(), strings(config.path("Entrypoint")));
      assertEquals(image.cmd(), strings(config.path("Cmd")));
      assertTrue(config.path("ExposedPorts").has("9756/tcp"), config.toString());
      assertTrue(r.err().contains("cgwatch " + VersionProvider.version()), "the entrypoint ran:\n" + r.err());
    } finally {
      Tools.run(List.of("buildah", "--root", work.resolve("storage").toString(), "--runroot",
          work.resolve("run").toString(), "--storage-driver", "vfs", "rm", "--all"), Map.of());
      Tools.run(List.of("rm", "-rf", work.toString()), Map.of());
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
