package io.cgwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cgwatch.agent.cli.Cli;
import io.cgwatch.agent.cli.CliRunner;
import io.cgwatch.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * deploy/kubernetes/: every manifest parses; the DaemonSet runs the image the Containerfile builds, with flags the
 * CLI accepts, the host mounted read-only where those flags point, no host namespaces, non-root, a read-only root,
 * and resources; the monitors scrape the port it listens on; the PrometheusRule is the shipped rules file.
 */
class KubernetesManifestsTest {
  private static final Path DIR = Tools.repo().resolve("deploy/kubernetes");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void kustomizationListsEveryManifestAndEachParses() throws Exception {
    JsonNode k = yaml("kustomization.yaml");
    List<String> listed = new ArrayList<>();
    k.path("resources").forEach(r -> listed.add(r.asText()));
    List<String> present;
    try (var s = Files.list(DIR)) {
      present = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .filter(n -> !n.equals("kustomization.yaml")).sorted().toList();
    }
    assertEquals(present, listed.stream().sorted().toList());
    for (String name : listed) {
      JsonNode doc = yaml(name);
      assertFalse(doc.path("apiVersion").asText().isEmpty(), name);
      assertFalse(doc.path("kind").asText().isEmpty(), name);
      if (!doc.path("kind").asText().equals("Namespace")) {
        assertEquals("cgwatch", doc.path("metadata").path("namespace").asText(), name);
      }
    }
  }

  @Test
  void daemonSetIsLockedDownAndRunsTheImagesCommand() throws Exception {
    JsonNode pod = yaml("daemonset.yaml").path("spec").path("template").path("spec");
    assertFalse(pod.path("hostPID").asBoolean(false), "hostPID");
    assertFalse(pod.path("hostNetwork").asBoolean(false), "hostNetwork");
    assertFalse(pod.path("hostIPC").asBoolean(false), "hostIPC");
    assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), "runAsNonRoot");
    assertEquals(1, pod.path("containers").size());
    JsonNode c = pod.path("containers").get(0);
    JsonNode sc = c.path("securityContext");
    assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(), "readOnlyRootFilesystem");
    assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true), "allowPrivilegeEscalation");
    assertEquals("[\"ALL\"]", sc.path("capabilities").path("drop").toString());
    assertFalse(c.path("resources").path("requests").path("memory").isMissingNode(), "memory request");
    assertFalse(c.path("resources").path("requests").path("cpu").isMissingNode(), "cpu request");
    // The same memory limit as the systemd unit's MemoryMax (256M there, 256Mi here).
    String memoryMax = Files.readAllLines(Tools.repo().resolve("deploy/systemd/cgwatch.service")).stream()
        .filter(l -> l.startsWith("MemoryMax=")).findFirst().orElseThrow().substring("MemoryMax=".length());
    assertEquals(memoryMax.replace("M", "Mi"), c.path("resources").path("limits").path("memory").asText());

    ContainerImage image = ContainerImage.read();
    assertEquals(image.image(), c.path("image").asText(), "the image the Containerfile's build command tags");
    List<String> args = new ArrayList<>();
    c.path("args").forEach(a -> args.add(a.asText()));
    CommandLine.ParseResult parsed = Cli.commandLine(CliRunner.FIXED).parseArgs(args.toArray(String[]::new));
    assertEquals("serve", parsed.subcommand().commandSpec().name());
    CommandLine.ParseResult serve = parsed.subcommand();
    for (String flag : List.of("--host-root", "--proc-root", "--web.listen-address")) {
      assertEquals(image.cmdFlag(flag), serve.matchedOptionValue(flag, (Object) null).toString(),
          flag + " as in the Containerfile's CMD");
    }

    // The host is mounted read-only where --host-root expects it; nothing else of the host is.
    Map<String, String> volumePaths = new HashMap<>();
    pod.path("volumes").forEach(v -> {
      if (v.has("hostPath")) {
        volumePaths.put(v.path("name").asText(), v.path("hostPath").path("path").asText());
      }
    });
    // What the reader opens on a host root: the cgroup mounts, /proc, and CPUs online (host facts, kernel memory),
    // and what it lists: the kubelet's pod log directories (pod names for owners).
    assertEquals(Map.of("host-cgroup", "/sys/fs/cgroup", "host-proc", "/proc", "host-cpu", "/sys/devices/system/cpu",
        "host-pod-logs", "/" + io.cgwatch.cgroupfs.ReadPlan.POD_LOG_DIRS), volumePaths);
    String hostRoot = image.cmdFlag("--host-root");
    int mounted = 0;
    for (JsonNode m : c.path("volumeMounts")) {
      String hostPath = volumePaths.get(m.path("name").asText());
      if (hostPath != null) {
        assertEquals(hostRoot + hostPath, m.path("mountPath").asText());
        assertTrue(m.path("readOnly").asBoolean(), m.toString());
        mounted++;
      }
    }
    assertEquals(4, mounted);

    // Port: the container port is the one --listen names, and the probes ask serve's real endpoints.
    String port = image.cmdFlag("--web.listen-address").replaceFirst("^.*:", "");
    assertEquals(port, c.path("ports").get(0).path("containerPort").asText());
    String portName = c.path("ports").get(0).path("name").asText();
    assertEquals("/readyz", c.path("readinessProbe").path("httpGet").path("path").asText());
    assertEquals("/healthz", c.path("livenessProbe").path("httpGet").path("path").asText());
    assertEquals(DaemonSetMounts.read().values().stream().sorted().toList(),
        volumePaths.values().stream().sorted().toList(), "DaemonSetMounts reads the same mounts");
    assertEquals(portName, c.path("readinessProbe").path("httpGet").path("port").asText());

    JsonNode pm = yaml("podmonitor.yaml").path("spec");
    assertEquals(portName, pm.path("podMetricsEndpoints").get(0).path("port").asText());
    assertEquals("/metrics", pm.path("podMetricsEndpoints").get(0).path("path").asText());
    JsonNode svc = yaml("service.yaml").path("spec").path("ports").get(0);
    assertEquals(port, svc.path("port").asText());
    assertEquals(portName, svc.path("targetPort").asText());
    JsonNode labels = yaml("daemonset.yaml").path("spec").path("template").path("metadata").path("labels");
    assertEquals(labels, pm.path("selector").path("matchLabels"));
    assertEquals(labels, yaml("service.yaml").path("spec").path("selector"));
  }

  @Test
  void prometheusRuleIsTheShippedRulesFile() throws Exception {
    String rules = Files.readString(Tools.repo().resolve("deploy/prometheus/cgwatch-rules.yml"));
    String expected = PackageFiles.prometheusRule(rules);
    Path file = DIR.resolve("prometheusrule.yaml");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(file, expected);
    }
    assertEquals(expected, Files.readString(file),
        "prometheusrule.yaml is generated: mvn -B verify -Dgolden.update=true rewrites it");
    assertEquals(YAML.readTree(rules).path("groups"), yaml("prometheusrule.yaml").path("spec").path("groups"));
  }

  private static JsonNode yaml(String name) throws Exception {
    return YAML.readTree(DIR.resolve(name).toFile());
  }
}
