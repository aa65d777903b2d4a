package io.cgwatch.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version, git commit and build date Maven wrote into {@code build-info.properties} by resource filtering
 * ("dev" and "unknown" when run from unfiltered classes, e.g. in an IDE, or built outside a git checkout).
 */
public final class VersionProvider implements IVersionProvider {
  private static final Properties BUILD = load();

  public static String version() {
    return value("version", "dev");
  }

  /** Abbreviated commit id, with "-dirty" when the working tree had uncommitted changes. */
  public static String commit() {
    String id = value("commit", "unknown");
    return "true".equals(value("dirty", "false")) && !"unknown".equals(id) ? id + "-dirty" : id;
  }

  public static String buildDate() {
    return value("date", "unknown");
  }

  @Override
  public String[] getVersion() {
    return new String[] {
        "cgwatch " + version(),
        "commit " + commit() + ", built " + buildDate(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
            + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
  }

  /** A value Maven did not fill (no git directory, unfiltered build) still reads "${...}": treat it as absent. */
  private static String value(String key, String absent) {
    String v = BUILD.getProperty(key);
    return v == null || v.isBlank() || v.startsWith("${") ? absent : v.trim();
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("build-info.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read build-info.properties from the cgwatch jar", e);
    }
    return p;
  }
}
