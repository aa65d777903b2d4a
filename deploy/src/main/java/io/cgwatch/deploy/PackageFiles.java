package io.cgwatch.deploy;

import io.cgwatch.agent.cli.Cli;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Generates, at build time, the files the Debian package ships that come from the code rather than from git:
 * man pages (AsciiDoc, from the picocli model; asciidoctor turns them into roff), completion scripts, and the
 * installed launcher. Run by exec-maven-plugin (deploy/pom.xml) with a step name:
 * <ul>
 *   <li>{@code sources OUT REPO}: OUT/man-adoc/*.adoc, OUT/completion/{cgwatch.bash,cgwatch.zsh}, OUT/launcher/cgwatch
 *   <li>{@code gzip-man DIR}: gzip -9n every DIR/*.1 into DIR/*.1.gz (Debian ships man pages compressed, without
 *       a timestamp in the gzip header, so the package is reproducible)
 *   <li>{@code gzip FILE OUT}: the same for one file (the Debian changelog)
 * </ul>
 */
public final class PackageFiles {
  /** The repository launcher's marker line: what follows it is shared with the installed launcher. */
  static final String RUN_MARKER = "# --- run:";
  static final String PACKAGED_DIR = "/usr/share/cgwatch";
  static final String PACKAGED_JAR = PACKAGED_DIR + "/cgwatch.jar";

  private PackageFiles() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 3 && args[0].equals("sources")) {
      sources(Path.of(args[1]), Path.of(args[2]));
    } else if (args.length == 2 && args[0].equals("gzip-man")) {
      gzipManPages(Path.of(args[1]));
    } else if (args.length == 3 && args[0].equals("gzip")) {
      gzip(Path.of(args[1]), Path.of(args[2]));
    } else {
      throw new IllegalArgumentException("usage: PackageFiles sources OUT REPO | gzip-man DIR | gzip FILE OUT");
    }
  }

  static void sources(Path out, Path repo) throws IOException {
    CommandLine cli = Cli.commandLine(Clock.systemUTC());
    Path adoc = Files.createDirectories(out.resolve("man-adoc"));
    int rc = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true, cli.getCommandSpec());
    if (rc != 0) {
      throw new IOException("picocli ManPageGenerator failed with " + rc);
    }
    // cgwatch.yml(5): the config keys, from the same list as docs/config.md.
    Files.writeString(adoc.resolve("cgwatch.yml.adoc"), io.cgwatch.agent.cli.ConfigKeys.manPage(
        io.cgwatch.agent.cli.VersionProvider.version()));
    Path completion = Files.createDirectories(out.resolve("completion"));
    // Sourced, never run: no #! line (Debian's bash-completion policy).
    String bash = AutoComplete.bash("cgwatch", cli).replaceFirst("\\A#![^\n]*\n", "");
    Files.writeString(completion.resolve("cgwatch.bash"), bash);
    // The zsh file is the same script: under zsh it loads bashcompinit itself. Sourcing this file from ~/.zshrc
    // costs no JVM start, unlike `source <(cgwatch completion zsh)`.
    Files.writeString(completion.resolve("cgwatch.zsh"), bash);
    Path launcher = Files.createDirectories(out.resolve("launcher")).resolve("cgwatch");
    Files.writeString(launcher, packagedLauncher(Files.readString(repo.resolve("cgwatch"))));
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /**
   * /usr/bin/cgwatch: the repository launcher's run part (JVM, locale and JVM flags) after a header that points
   * {@code $jar} at the packaged jar. Generated rather than copied so the JVM flags tuned in ./cgwatch are the
   * installed ones too. {@code $repo} is set to the installed directory, which has the jar and nothing of a
   * checkout (no agent/target, no fixtures), so a repository-only step in the run part (a class-data archive kept
   * in agent/target, say) finds nothing and is skipped; PackagedLauncherTest and .ci/package.sh run the result.
   */
  public static String packagedLauncher(String repoLauncher) {
    int at = repoLauncher.indexOf("\n" + RUN_MARKER);
    if (at < 0) {
      throw new IllegalArgumentException("./cgwatch has no line starting with '" + RUN_MARKER + "': the installed "
          + "launcher is made of what follows that line");
    }
    String run = repoLauncher.substring(at + 1);
    return String.join("\n",
        "#!/usr/bin/env bash",
        "# cgwatch as installed by the Debian package: runs " + PACKAGED_JAR + ", never builds.",
        "# Generated from the repository's ./cgwatch at build time (deploy/.../PackageFiles.java); edit that one.",
        "set -euo pipefail",
        "repo=" + PACKAGED_DIR + "  # not a checkout: repository-only steps below find nothing and are skipped",
        "jar=" + PACKAGED_JAR,
        "[[ -r $jar ]] || { echo \"cgwatch: $jar is missing; reinstall the cgwatch package\" >&2; exit 3; }",
        "",
        run);
  }

  /**
   * deploy/kubernetes/prometheusrule.yaml: the Prometheus Operator object whose spec is deploy/prometheus/
   * cgwatch-rules.yml, groups and comments as they are (indented under spec:), so the two never drift.
   */
  public static String prometheusRule(String rulesFile) {
    int groups = rulesFile.indexOf("\ngroups:");
    if (groups < 0) {
      throw new IllegalArgumentException("the rules file has no top-level groups:");
    }
    StringBuilder out = new StringBuilder("""
        # Generated from deploy/prometheus/cgwatch-rules.yml by PackageFiles.prometheusRule; do not edit. After a change
        # of the rules file: mvn -B verify -Dgolden.update=true (KubernetesManifestsTest rewrites this file).
        apiVersion: monitoring.coreos.com/v1
        kind: PrometheusRule
        metadata:
          name: cgwatch
          namespace: cgwatch
          labels:
            app.kubernetes.io/name: cgwatch
        spec:
        """);
    for (String line : rulesFile.substring(groups + 1).split("\n", -1)) {
      out.append(line.isEmpty() ? "" : "  " + line).append('\n');
    }
    return out.toString().stripTrailing() + "\n";
  }

  static void gzipManPages(Path dir) throws IOException {
    List<Path> pages;
    try (Stream<Path> s = Files.list(dir)) {
      pages = s.filter(p -> p.getFileName().toString().matches(".*\\.[15]")).sorted().toList();
    }
    if (pages.isEmpty()) {
      throw new IOException("no man pages (*.1) in " + dir);
    }
    for (Path page : pages) {
      gzip(page, dir.resolve(page.getFileName() + ".gz"));
    }
  }

  /**
   * gzip -9n: best compression, no name and no time in the header, and the header's XFL byte saying "best
   * compression" (lintian checks it; java.util.zip.GZIPOutputStream writes 0 there).
   */
  static void gzip(Path file, Path out) throws IOException {
    Files.createDirectories(out.toAbsolutePath().getParent());
    byte[] data = Files.readAllBytes(file);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(data);
    java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION, true);
    try (OutputStream o = Files.newOutputStream(out)) {
      // magic, CM=deflate, FLG=0, MTIME=0, XFL=2 (best), OS=3 (Unix)
      o.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3});
      try (java.util.zip.DeflaterOutputStream d = new java.util.zip.DeflaterOutputStream(
          new java.io.FilterOutputStream(o) {
            @Override
            public void close() throws IOException {
              flush(); // the trailer follows: keep o open
            }
          }, deflater)) {
        d.write(data);
      }
      deflater.end();
      writeIntLe(o, (int) crc.getValue());
      writeIntLe(o, data.length);
    }
  }

  private static void writeIntLe(OutputStream o, int v) throws IOException {
    o.write(v);
    o.write(v >>> 8);
    o.write(v >>> 16);
    o.write(v >>> 24);
  }




}
