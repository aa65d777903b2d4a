package io.cgwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cgwatch.support.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The host paths the DaemonSet mounts into the cgwatch container, and a copy of a fixture host laid out exactly so:
 * only what is mounted is there, where it is mounted. A file the reader needs and the pod does not mount is then
 * missing in the test as it would be in the pod.
 */
final class DaemonSetMounts {
  private DaemonSetMounts() {}

  /** Container mount path → host path, for every hostPath volume of the cgwatch container. */
  static Map<String, String> read() {
    try {
      JsonNode pod = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(
          Tools.repo().resolve("deploy/kubernetes/daemonset.yaml"))).path("spec").path("template").path("spec");
      Map<String, String> hostPaths = new HashMap<>();
      pod.path("volumes").forEach(v -> {
        if (v.has("hostPath")) {
          hostPaths.put(v.path("name").asText(), v.path("hostPath").path("path").asText());
        }
      });
      Map<String, String> out = new TreeMap<>();
      pod.path("containers").get(0).path("volumeMounts").forEach(m -> {
        String host = hostPaths.get(m.path("name").asText());
        if (host != null) {
          out.put(m.path("mountPath").asText(), host);
        }
      });
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies what the DaemonSet mounts of {@code fixtureHost} (a host's /) into {@code root} (the container's /). */
  static void layOut(Path fixtureHost, Path root) throws IOException {
    for (Map.Entry<String, String> m : read().entrySet()) {
      Path from = fixtureHost.resolve(m.getValue().substring(1));
      Path to = root.resolve(m.getKey().substring(1));
      if (!Files.isDirectory(from)) {
        continue; // the fixture lacks it (a kernel without it): mounted, but empty
      }
      try (Stream<Path> s = Files.walk(from)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
    }
  }
}
