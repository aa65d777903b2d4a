package io.cgwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cgwatch.agent.cli.HelpExamples;
import io.cgwatch.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The man pages the build generates (picocli model → AsciiDoc → Asciidoctor's manpage backend → roff) render with
 * the real man: one page per command, with its options and its examples, and no groff warning.
 */
class ManPagesTest {
  @Test
  void everyCommandHasAPageThatManRenders() {
    Path man = Tools.onPath("man").orElseGet(() -> fail("man is not installed: apt-get install man-db "
        + "(./test does)"));
    for (String command : HelpExamples.BY_COMMAND.keySet()) {
      String name = command.equals("cgwatch") ? "cgwatch" : "cgwatch-" + command;
      Path page = Tools.deployTarget().resolve("man/" + name + ".1.gz");
      assertTrue(Files.isRegularFile(page), page + " was not built (mvn package builds deploy/)");
      // man -l reads the .gz the package ships; MANWIDTH fixes the layout, cat as pager keeps it non-interactive.
      Tools.Run r = Tools.run(List.of(man.toString(), "-l", page.toString()),
          Map.of("MANWIDTH", "100", "MANPAGER", "cat", "PAGER", "cat", "LC_ALL", "C.UTF-8"));
      assertEquals(0, r.exit(), name + ": " + r.err());
      assertEquals("", r.err().strip(), name + ": man/groff warned");
      String text = r.out();
      assertTrue(text.contains("NAME\n       " + name + " - "), name + ":\n" + text);
      assertTrue(text.contains("SYNOPSIS\n       cgwatch"), name + ":\n" + text);
      assertTrue(text.contains("--help"), name + " lists no options:\n" + text);
      assertTrue(text.contains("EXAMPLES"), name + " has no examples:\n" + text);
      for (HelpExamples.Example e : HelpExamples.BY_COMMAND.get(command)) {
        assertTrue(text.replace("\u2019", "'").contains("cgwatch " + e.args()), name + " lacks " + e.args() + ":\n" + text);
      }
    }
  }

  /** cgwatch.yml(5), installed to /usr/share/man/man5: every config key, rendered by the real man. */
  @Test
  void theConfigFileHasASectionFivePage() {
    Path man = Tools.onPath("man").orElseGet(() -> fail("man is not installed: apt-get install man-db "
        + "(./test does)"));
    Path page = Tools.deployTarget().resolve("man/cgwatch.yml.5.gz");
    assertTrue(Files.isRegularFile(page), page + " was not built (mvn package builds deploy/)");
    Tools.Run r = Tools.run(List.of(man.toString(), "-l", page.toString()),
        Map.of("MANWIDTH", "100", "MANPAGER", "cat", "PAGER", "cat", "LC_ALL", "C.UTF-8"));
    assertEquals(0, r.exit(), r.err());
    assertEquals("", r.err().strip(), "man/groff warned");
    assertTrue(r.out().contains("NAME\n       cgwatch.yml - configuration file of cgwatch serve"), r.out());
    for (io.cgwatch.agent.cli.ConfigKeys.Key k : io.cgwatch.agent.cli.ConfigKeys.ALL) {
      assertTrue(r.out().contains(k.key()), k.key() + " missing:\n" + r.out());
    }
  }
}
