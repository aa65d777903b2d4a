package io.cgwatch.exporters.text;

/**
 * Makes untrusted text (cgroup names come from anyone who can mkdir in a delegated subtree) safe to print on a
 * terminal: control characters (C0, DEL, C1) and invisible format characters (bidi overrides, zero-width) are
 * shown as escapes, so no name can move the cursor, recolour the screen, or disguise itself.
 */
public final class TerminalSafe {
  private TerminalSafe() {}

  public static String escape(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int n = Character.charCount(cp);
      if (needsEscape(cp)) {
        if (sb == null) {
          sb = new StringBuilder(text.length() + 8).append(text, 0, i);
        }
        sb.append(cp <= 0xff ? String.format("\\x%02x", cp) : String.format("\\u%04x", cp));
      } else if (sb != null) {
        sb.appendCodePoint(cp);
      }
      i += n;
    }
    return sb == null ? text : sb.toString();
  }

  private static boolean needsEscape(int cp) {
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || Character.getType(cp) == Character.FORMAT
        || cp == 0x2028 || cp == 0x2029 || cp == 0xfffd;
  }
}
