package io.cgwatch.deploy;

import io.cgwatch.support.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * deploy/container/Containerfile read the way a builder reads it: instructions (continuation lines joined),
 * exec-form ENTRYPOINT and CMD, and the image name of the build command in its header. No engine builds images
 * here, so the tests check what the build would use and run the same command line against a fixture.
 */
record ContainerImage(String from, List<String[]> copies, String user, List<String> entrypoint, List<String> cmd,
    Map<String, String> symlinks, String image, List<String> exposed) {
  static final Path FILE = Tools.repo().resolve("deploy/container/Containerfile");

  static ContainerImage read() {
    try {
      return parse(Files.readString(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ContainerImage parse(String text) {
    Matcher tag = Pattern.compile("build -f deploy/container/Containerfile -t (\\S+) \\.").matcher(text);
    String image = tag.find() ? tag.group(1) : null;
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || (line.isBlank() && current.length() == 0)) {
        continue;
      }
      current.append(line.strip());
      if (line.endsWith("\\")) {
        current.setLength(current.length() - 1);
        current.append(' ');
      } else {
        instructions.add(current.toString().strip());
        current.setLength(0);
      }
    }
    String from = null;
    String user = null;
    List<String[]> copies = new ArrayList<>();
    List<String> entrypoint = List.of();
    List<String> cmd = List.of();
    List<String> exposed = new ArrayList<>();
    Map<String, String> links = new LinkedHashMap<>();
    for (String ins : instructions) {
      String[] kw = ins.split("\\s+", 2);
      switch (kw[0]) {
        case "FROM" -> from = kw[1];
        case "USER" -> user = kw[1];
        case "COPY" -> copies.add(kw[1].split("\\s+"));
        case "ENTRYPOINT" -> entrypoint = jsonArray(kw[1]);
        case "CMD" -> cmd = jsonArray(kw[1]);
        case "EXPOSE" -> exposed.addAll(List.of(kw[1].split("\\s+")));
        case "RUN" -> {
          Matcher m = Pattern.compile("ln -s (\\S+) (\\S+)").matcher(kw[1]);
          while (m.find()) {
            links.put(m.group(2), m.group(1));
          }
        }
        default -> { }
      }
    }
    return new ContainerImage(from, copies, user, entrypoint, cmd, links, image, exposed);
  }

  private static List<String> jsonArray(String s) {
    try {
      return List.of(new com.fasterxml.jackson.databind.ObjectMapper().readValue(s, String[].class));
    } catch (IOException e) {
      throw new IllegalArgumentException("ENTRYPOINT/CMD must be exec form (a JSON array): " + s, e);
    }
  }

  /** ENTRYPOINT then CMD: what the container runs. */
  List<String> commandLine() {
    List<String> all = new ArrayList<>(entrypoint);
    all.addAll(cmd);
    return all;
  }

  /** The value after {@code flag} in CMD. */
  String cmdFlag(String flag) {
    int i = cmd.indexOf(flag);
    if (i < 0 || i + 1 >= cmd.size()) {
      throw new AssertionError("CMD has no " + flag + ": " + cmd);
    }
    return cmd.get(i + 1);
  }
}
