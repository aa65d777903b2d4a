package io.cgwatch.exporters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.cgwatch.exporters.text.HumanUnits;
import io.cgwatch.exporters.text.TerminalSafe;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TextHelpersTest {
  @Test
  void ordinaryNamesPassUnchanged() {
    String name = "/system.slice/foo\\x2dbar.scope/café ünïcode <x> \"q\"";
    assertSame(name, TerminalSafe.escape(name));
  }

  @Test
  void controlAndInvisibleCharactersAreEscaped() {
    assertEquals("a\\x1b[31mb", TerminalSafe.escape("a\u001b[31mb"));
    assertEquals("a\\x0ab\\x0dc\\x09d", TerminalSafe.escape("a\nb\rc\td"));
    assertEquals("\\x7f\\x9b", TerminalSafe.escape("\u007f\u009b"));
    assertEquals("x\\u202ey\\u200bz", TerminalSafe.escape("x\u202ey\u200bz"));
    assertEquals("\\ufffd", TerminalSafe.escape("\ufffd"), "undecodable bytes stay visible");
  }

  @Test
  void bytesInIecUnits() {
    assertEquals("0 B", HumanUnits.bytes(0));
    assertEquals("1023 B", HumanUnits.bytes(1023));
    assertEquals("1.0 KiB", HumanUnits.bytes(1024));
    assertEquals("50.0 MiB", HumanUnits.bytes(52428800));
    assertEquals("23.5 GiB", HumanUnits.bytes(25276063744L));
  }

  @Test
  void durations() {
    assertEquals("8.1 ms", HumanUnits.duration(Duration.ofMillis(8).plusNanos(100_000)));
    assertEquals("2.50 s", HumanUnits.duration(Duration.ofMillis(2500)));
  }
}
