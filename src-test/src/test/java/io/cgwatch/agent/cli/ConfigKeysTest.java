package io.cgwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cgwatch.support.Golden;
import java.lang.reflect.RecordComponent;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The config keys' reference (docs/config.md, cgwatch.yml(5)) lists exactly the keys the config file takes. */
class ConfigKeysTest {
  @Test
  void docsConfigMdIsUpToDate() {
    Golden.assertMatchesFile("../docs/config.md", ConfigKeys.markdown());
  }

  @Test
  void everyKeyTheFileTakesIsDocumentedAndNothingElse() {
    Set<String> accepted = new TreeSet<>();
    for (RecordComponent c : ServeConfig.class.getRecordComponents()) {
      String key = yamlName(c);
      if (c.getType() == ServeConfig.Tls.class) {
        keys(ServeConfig.Tls.class, key + ".", accepted);
      } else if (c.getType() == ServeConfig.Alerts.class) {
        accepted.add("alerts.alertmanager_urls");
        keys(ServeConfig.Rule.class, "alerts.rules.RULE.", accepted);
      } else {
        accepted.add(key);
      }
    }
    Set<String> documented = ConfigKeys.ALL.stream().map(ConfigKeys.Key::key).collect(Collectors.toCollection(
        TreeSet::new));
    assertEquals(accepted, documented);
  }

  @Test
  void everyFlagNamedIsAServeFlag() {
    picocli.CommandLine serve = Cli.commandLine(CliRunner.FIXED).getSubcommands().get("serve");
    for (ConfigKeys.Key k : ConfigKeys.ALL) {
      if (k.flag() != null) {
        assertNotNull(serve.getCommandSpec().findOption(k.flag()), k.key() + ": " + k.flag());
      }
    }
  }

  private static void keys(Class<?> record, String prefix, Set<String> out) {
    for (RecordComponent c : record.getRecordComponents()) {
      out.add(prefix + yamlName(c));
    }
  }

  private static String yamlName(RecordComponent c) {
    JsonProperty p = c.getAnnotation(JsonProperty.class);
    if (p == null && c.getAccessor().getAnnotation(JsonProperty.class) != null) {
      p = c.getAccessor().getAnnotation(JsonProperty.class);
    }
    return p != null ? p.value() : c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
  }
}
