package io.cgwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cgwatch.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The repository's LICENSE is the Apache License 2.0, and the package's copyright file says so for every file. */
class LicenseTest {
  @Test
  void licenseIsApache2AndTheDebianCopyrightNamesIt() throws Exception {
    String license = Files.readString(Tools.repo().resolve("LICENSE"));
    assertTrue(license.contains("Apache License\n                           Version 2.0, January 2004"), "LICENSE");
    assertTrue(license.contains("END OF TERMS AND CONDITIONS"), "the whole text, not an excerpt");
    Path copyright = Tools.repo().resolve("deploy/debian/copyright");
    String c = Files.readString(copyright);
    Matcher files = Pattern.compile("(?m)^Files: \\*\\n(?:Copyright: .*\\n)License: (\\S+)").matcher(c);
    assertTrue(files.find(), c);
    assertEquals("Apache-2.0", files.group(1), "Files: * license");
    assertTrue(c.contains("\nLicense: Apache-2.0\n Licensed under the Apache License, Version 2.0"),
        "a stand-alone License paragraph with the notice");
    assertTrue(c.contains("/usr/share/common-licenses/Apache-2.0"), c);
    assertTrue(!c.contains("unspecified"), c);
    // DEP-5: the header and every paragraph are separated by one blank line, continuation lines start with a space.
    for (String line : List.of(c.split("\n"))) {
      assertTrue(line.isEmpty() || line.matches("[A-Z][A-Za-z-]*: .*") || line.startsWith(" "), "DEP-5 line: " + line);
    }
  }
}
