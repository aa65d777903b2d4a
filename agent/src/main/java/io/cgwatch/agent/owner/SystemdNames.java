package io.cgwatch.agent.owner;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * systemd's unit-name escaping undone: {@code \xNN} is the byte NN (systemd-escape writes every byte outside
 * {@code [A-Za-z0-9:_.]} that way, and {@code -} as {@code \x2d} because a dash means a slice's parent), so
 * {@code machine-qemu\x2d1\x2dvm.scope} is shown as {@code machine-qemu-1-vm.scope}. A broken escape
 * ({@code \x4}, {@code \xZZ}) stays as written; bytes that are not UTF-8 become U+FFFD. Never throws.
 */
final class SystemdNames {
  private SystemdNames() {}

  static String unescape(String name) {
    if (name.indexOf('\\') < 0) {
      return name;
    }
    byte[] in = name.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '\\' && i + 3 < in.length && in[i + 1] == 'x' && hex(in[i + 2]) >= 0 && hex(in[i + 3]) >= 0) {
        out.write(hex(in[i + 2]) << 4 | hex(in[i + 3]));
        i += 3;
      } else {
        out.write(in[i]);
      }
    }
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      return utf8.decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return name; // not reached with REPLACE; the name as written is still a name
    }
  }

  private static int hex(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    return b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
  }
}
