package io.cgwatch.agent.cli;

import java.util.List;

/**
 * Every key of the config file ({@code --config}, /etc/cgwatch/cgwatch.yml): the one source of its reference,
 * rendered as {@code docs/config.md} (ConfigKeysTest keeps it in step) and as the {@code cgwatch.yml(5)} man page
 * the Debian package ships. ConfigKeysTest checks the list against the keys {@link ServeConfig} accepts.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  /** A key (dotted for nested ones), the flag that overrides it (or null), its YAML value and its meaning. */
  public record Key(String key, String flag, String value, String meaning) {}

  public static final List<Key> ALL = List.of(
      new Key("listen", "--web.listen-address", "[HOST]:PORT",
          "Address to answer scrapes on. Default :9756 (every address); 127.0.0.1:9756 keeps it to this host."),
      new Key("interval", "--interval", "DURATION",
          "Time between scans (100ms, 15s, 5m, 1h30m). Default 15s. Scrapes are answered from the last scan."),
      new Key("scan_timeout", "--scan-timeout", "DURATION", "Abandon a scan whose reads have not returned after "
          + "this long (a FIFO, a hung filesystem); /healthz fails when none returned for the interval plus twice "
          + "this. Default 60s."),
      new Key("host_root", "--host-root", "DIR", "The host's / (default /), e.g. /host in a container."),
      new Key("proc_root", "--proc-root", "DIR", "The host's /proc, when not HOST_ROOT/proc."),
      new Key("cgroup_root", "--cgroup-root", "DIR", "Where the host's /sys/fs/cgroup is, when not "
          + "HOST_ROOT/sys/fs/cgroup."),
      new Key("max_depth", "--max-depth", "N", "Read and export cgroups at most N levels deep (the root is 0). "
          + "Default 3. Lifecycle series are summed per ancestor at this depth."),
      new Key("include", "--include", "[GLOB, ...]", "Export only cgroups whose path matches one of these globs "
          + "(* within a level, ** across levels)."),
      new Key("exclude", "--exclude", "[GLOB, ...]", "Do not export cgroups whose path matches one of these."),
      new Key("max_cgroups", "--max-cgroups", "N", "At most N cgroups get per-cgroup series, those with the most "
          + "dying descendants and orphaned page cache. Default 2000."),
      new Key("max_owners", "--max-owners", "N", "At most N owners (pods, containers, units: docs/owners.md) get "
          + "cgwatch_owner_* series, those with the most dying cgroups; kind=\"other\" sums the rest. Default 20."),
      new Key("root_memory_stat_budget", "--root-memory-stat-budget", "DURATION", "When one read of the root "
          + "memory.stat takes longer, read it only every 10th scan until it is fast again. Default 100ms."),
      new Key("leak_threshold", "--leak-threshold", "DURATION", "An empty, childless cgroup idle this long is a "
          + "visible leak. Default 1h."),
      new Key("slow_tier_every", "--slow-tier-every", "N", "Read the slow tier (memory.min/low/high/max, peak, "
          + "swap, memory.events, PSI, pids) every Nth scan and repeat its last values in between; the dying, "
          + "orphan and lifecycle views and every alert read each scan. 1 reads everything every scan. Default 4."),
      new Key("full_read_latency", "--full-read-latency", "true|false", "17 buckets (100us to 10s) for "
          + "cgwatch_file_read_duration_seconds instead of 5. Default false."),
      new Key("watch", "--no-watch", "true|false", "Watch the memory hierarchy with inotify (one watch per cgroup "
          + "directory down to --max-depth, at most 20000) to see births, the charges at populated 0 and removals between two scans; "
          + "on a queue overflow or the inotify watch limit it falls back to polling "
          + "(cgwatch_watch_fallback). --no-watch or false: polling only. Default true."),
      new Key("web_config_file", "--web.config.file", "FILE", "TLS and basic auth in the web config format of "
          + "Prometheus' exporter-toolkit (tls_server_config, basic_auth_users), the file node_exporter takes. Not "
          + "together with tls or basic_auth_users."),
      new Key("tls.cert_file", null, "FILE", "Serve HTTPS with this PEM certificate chain (with tls.key_file)."),
      new Key("tls.key_file", null, "FILE", "The PKCS#8 PEM key of tls.cert_file."),
      new Key("basic_auth_users", null, "{USER: BCRYPT, ...}", "Require HTTP basic auth; passwords as bcrypt "
          + "hashes (htpasswd -nbBC 10 \"\" PASSWORD | tr -d ':\\n')."),
      new Key("alerts.alertmanager_urls", "--alertmanager-url", "[URL, ...]", "Also send the built-in alerts to "
          + "these Alertmanagers (API v2)."),
      new Key("alerts.rules.RULE.enabled", null, "true|false", "Turn a built-in alert rule (DyingCgroupsHigh, "
          + "DyingCgroupsGrowing, OrphanedPageCacheHigh, MemcgIdHeadroomLow, VisibleCgroupLeak, "
          + "KernelStatReadSlow, ScanFailing) off or on."),
      new Key("alerts.rules.RULE.threshold", null, "NUMBER", "The value above which the rule is pending."),
      new Key("alerts.rules.RULE.clear", null, "NUMBER", "The value below which a firing alert resolves."),
      new Key("alerts.rules.RULE.for", null, "DURATION", "How long the value must stay above the threshold."),
      new Key("alerts.rules.RULE.severity", null, "warning|critical", "The severity label of its alerts."));

  /** docs/config.md. */
  public static String markdown() {
    StringBuilder sb = new StringBuilder("# The config file: cgwatch.yml\n\n")
        .append("Generated from `agent/src/main/java/io/cgwatch/agent/cli/ConfigKeys.java`, like the ")
        .append("`cgwatch.yml(5)` man page the package installs; `ConfigKeysTest` fails when this file is out of ")
        .append("date (regenerate with `mvn -B verify -Dgolden.update=true`).\n\n")
        .append(INTRO).append("\n\n| key | flag | value | meaning |\n|---|---|---|---|\n");
    for (Key k : ALL) {
      sb.append("| `").append(k.key()).append("` | ").append(k.flag() == null ? "" : "`" + k.flag() + "`")
          .append(" | `").append(k.value().replace("|", "\\|")).append("` | ")
          .append(k.meaning().replace("|", "\\|")).append(" |\n");
    }
    return sb.append("\n").append(EXAMPLE_MD).toString();
  }

  /** The man page in AsciiDoc (Asciidoctor's manpage backend turns it into roff). */
  public static String manPage(String version) {
    StringBuilder sb = new StringBuilder("= cgwatch.yml(5)\n:doctype: manpage\n:manmanual: cgwatch manual\n")
        .append(":mansource: cgwatch ").append(version).append("\n\n== Name\n\n")
        .append("cgwatch.yml - configuration file of cgwatch serve\n\n== Synopsis\n\n")
        .append("/etc/cgwatch/cgwatch.yml, read by *cgwatch serve --config* _FILE_ (and by *cgwatch diagnose ")
        .append("--config*, which uses only *alerts.rules*).\n\n== Description\n\n").append(INTRO)
        .append("\n\n== Keys\n\n");
    for (Key k : ALL) {
      sb.append("*").append(k.key()).append("*: _").append(k.value()).append("_::\n  ")
          .append(adoc(k.meaning())).append(k.flag() == null ? "" : " Flag: *" + k.flag() + "*.").append("\n");
    }
    return sb.append("\n== Example\n\n----\n").append(EXAMPLE).append("----\n\n== See also\n\n")
        .append("*cgwatch-serve*(1), *cgwatch-diagnose*(1)\n").toString();
  }

  private static String adoc(String s) {
    return s.replace("*", "{asterisk}");
  }

  private static final String INTRO = "YAML. Keys are the serve flags in snake_case; a flag on the command line "
      + "wins over its key. Unknown keys are an error naming the key, so a typo stops cgwatch instead of being "
      + "ignored. Durations are written 100ms, 15s, 5m, 1h30m or 2d.";

  private static final String EXAMPLE = """
      listen: 127.0.0.1:9756
      interval: 15s
      max_depth: 3
      exclude: ["/user.slice/**"]
      web_config_file: /etc/cgwatch/web.yml
      alerts:
        rules:
          DyingCgroupsHigh: {threshold: 5000, for: 10m}
        alertmanager_urls: [http://127.0.0.1:9093]
      """;

  private static final String EXAMPLE_MD = "```yaml\n" + EXAMPLE + "```\n";
}
