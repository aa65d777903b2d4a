package io.cgwatch.agent.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The "Examples:" section of each command's --help (and so of its man page). Kept as data in one place so a test
 * can run every example's arguments through the real parser: an example that stops parsing fails the build.
 */
public final class HelpExamples {
  /** One example: the command line as typed (after "cgwatch"), and what it does. */
  public record Example(String args, String does) {}

  /** Per command name ("cgwatch" for the top level), in the order shown. */
  public static final Map<String, List<Example>> BY_COMMAND = build();

  private HelpExamples() {}

  private static Map<String, List<Example>> build() {
    Map<String, List<Example>> m = new LinkedHashMap<>();
    m.put("cgwatch", List.of(
        new Example("diagnose", "report on this host; exit code 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN"),
        new Example("serve --config /etc/cgwatch/cgwatch.yml", "Prometheus scrape target on :9756"),
        new Example("diagnose --host-root /host", "from a container that mounts the host's / at /host"),
        new Example("completion bash", "print the bash completion script (source <(cgwatch completion bash))")));
    m.put("diagnose", List.of(
        new Example("diagnose", "one scan of this host, text report"),
        new Example("diagnose --samples 3 --interval 10s", "adds lifecycle: removed cgroups still dying, their ages"),
        new Example("diagnose --json", "the JSON report (docs/json-schema.md)"),
        new Example("diagnose --format openmetrics", "one exposition for node_exporter's textfile collector"),
        new Example("diagnose --host-root /host --max-depth 3", "the host seen from a container, files read 3 deep"),
        new Example("diagnose --config /etc/cgwatch/cgwatch.yml", "with the alert thresholds of the serve config")));
    m.put("serve", List.of(
        new Example("serve", "scan every 15s, answer on every address, port 9756"),
        new Example("serve --listen 127.0.0.1:9756 --interval 30s", "loopback only, a scan every 30 s"),
        new Example("serve --config /etc/cgwatch/cgwatch.yml", "what the systemd unit runs"),
        new Example("serve --host-root /host --max-depth 2 --exclude '/kubepods.slice/**'",
            "in a DaemonSet: the host's cgroups, two levels deep, without pods' own cgroups"),
        new Example("serve --alertmanager-url http://127.0.0.1:9093", "also send the built-in alerts to Alertmanager")));
    m.put("capture", List.of(
        new Example("capture /tmp/host.tar.gz", "copy what cgwatch reads into an archive"),
        new Example("capture --anonymize /tmp/host-capture", "the same into a directory, cgroup names hashed"),
        new Example("capture --host-root /host --max-bytes 64MiB /tmp/host.tar.gz", "bounded, from a container")));
    m.put("replay", List.of(
        new Example("replay /tmp/before.tar.gz /tmp/after.tar.gz", "what was created, removed and left dying between"),
        new Example("replay --json /tmp/c1 /tmp/c2 /tmp/c3", "the last capture's report as JSON, with lifecycle")));
    m.put("reclaim", List.of(
        new Example("reclaim --cgroup /jobs", "dry run: what would be written to /jobs/memory.reclaim"),
        new Example("reclaim --cgroup /jobs --execute", "reclaim the page cache removed children left under /jobs"),
        new Example("reclaim --cgroup /jobs --bytes 64M --execute --timeout 2m", "a given amount, a longer wait")));
    m.put("completion", List.of(
        new Example("completion bash", "the bash script; load it with source <(cgwatch completion bash)"),
        new Example("completion zsh", "the same for zsh (it enables bashcompinit itself)")));
    return m;
  }

  /**
   * Adds the examples as each command's footer (picocli's man page generator needs the heading too). A command
   * without examples is left as it is (HelpAndVersionTest fails for it); a footer a command already has follows
   * its examples.
   */
  static void apply(CommandLine root) {
    List<CommandLine> all = new ArrayList<>(root.getSubcommands().values());
    all.add(0, root);
    for (CommandLine c : all) {
      List<Example> examples = BY_COMMAND.get(c == root ? "cgwatch" : c.getCommandName());
      if (examples == null) {
        continue;
      }
      CommandLine.Model.UsageMessageSpec usage = c.getCommandSpec().usageMessage();
      List<String> footer = new ArrayList<>();
      for (Example e : examples) {
        // picocli formats footers with String.format: a literal % must be doubled.
        footer.add(("  cgwatch " + e.args()).replace("%", "%%"));
        footer.add(("      " + e.does()).replace("%", "%%"));
      }
      if (usage.footer().length > 0) {
        footer.add("");
        footer.addAll(List.of(usage.footer()));
      }
      usage.footerHeading("%nExamples:%n");
      usage.footer(footer.toArray(String[]::new));
    }
  }
}
