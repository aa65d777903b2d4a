package io.cgwatch.agent.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cgwatch.agent.units.DurationConverter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The YAML config file of {@code cgwatch serve} ({@code --config FILE}): the flags' keys in snake_case, plus TLS
 * and basic-auth users, which only the file takes. Unknown keys are an error, so a typo is not silently ignored.
 * <pre>
 * listen: 127.0.0.1:9756
 * interval: 15s
 * scan_timeout: 60s
 * max_depth: 3
 * include: ["/system.slice/**"]
 * tls: {cert_file: /etc/cgwatch/cert.pem, key_file: /etc/cgwatch/key.pem}
 * basic_auth_users: {prometheus: "$2y$10$..."}
 * web_config_file: /etc/cgwatch/web.yml   # instead of tls and basic_auth_users: exporter-toolkit's format
 * full_read_latency: false
 * max_owners: 20
 * watch: true
 * slow_tier_every: 4
 * alerts:
 *   rules: {DyingCgroupsHigh: {threshold: 5000, for: 0s}}
 *   alertmanager_urls: [http://127.0.0.1:9093]
 * </pre>
 */
public record ServeConfig(String listen, String interval, String hostRoot, String procRoot, String cgroupRoot,
    Integer maxDepth, List<String> include, List<String> exclude, Integer maxCgroups,
    String rootMemoryStatBudget, String leakThreshold, Tls tls, Map<String, String> basicAuthUsers,
    Alerts alerts, String webConfigFile, Boolean fullReadLatency, String scanTimeout, Integer maxOwners,
    Boolean watch, Integer slowTierEvery) {

  public static final ServeConfig EMPTY = new ServeConfig(null, null, null, null, null, null, null, null, null, null,
      null, null, null, null, null, null, null, null, null, null);

  public record Tls(@JsonProperty("cert_file") String certFile, @JsonProperty("key_file") String keyFile) {}

  /** {@code alerts.rules.<RuleName>.{threshold,clear,for,severity,enabled}} and Alertmanager URLs. */
  public record Alerts(Map<String, Rule> rules, @JsonProperty("alertmanager_urls") List<String> alertmanagerUrls) {}

  public record Rule(Boolean enabled, Double threshold, Double clear, @JsonProperty("for") String forDuration,
      String severity) {}

  /** The rule overrides, durations parsed; an unknown rule name is reported by the engine. */
  public Map<String, io.cgwatch.agent.alert.RuleOverride> ruleOverrides() {
    Map<String, io.cgwatch.agent.alert.RuleOverride> out = new java.util.TreeMap<>();
    if (alerts != null && alerts.rules() != null) {
      alerts.rules().forEach((name, r) -> out.put(name, new io.cgwatch.agent.alert.RuleOverride(r.enabled(),
          r.threshold(), r.clear(), r.forDuration() == null ? null
              : DurationConverter.parse("alerts.rules." + name + ".for", r.forDuration()),
          r.severity())));
    }
    return out;
  }

  /** Built on first use: diagnose without --config never pays Jackson's start-up. */
  private static final class Yaml {
    static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  }

  public static ServeConfig load(Path file) throws IOException {
    ServeConfig c = Yaml.MAPPER.readValue(file.toFile(), ServeConfig.class);
    return c == null ? EMPTY : c;
  }
}
