package io.cgwatch.exporters.prometheus;

import java.io.Writer;
import java.util.Arrays;

/**
 * A {@link Writer} that encodes UTF-8 straight into one growable byte array. simpleclient's {@code TextFormat}
 * writes label values one char at a time; through an {@code OutputStreamWriter} every char went through the
 * charset encoder on its own, and a {@code BufferedWriter} still takes a lock per char. Here a char is a store.
 * Unpaired surrogates become {@code '?'}, as the JDK's encoder does. Not thread-safe; one per rendering.
 */
final class Utf8ByteWriter extends Writer {
  private byte[] buf;
  private int count;
  private char highSurrogate;

  Utf8ByteWriter(int initialCapacity) {
    buf = new byte[Math.max(64, initialCapacity)];
  }

  @Override
  public void write(int c) {
    char ch = (char) c;
    if (highSurrogate != 0) {
      char high = highSurrogate;
      highSurrogate = 0;
      if (Character.isLowSurrogate(ch)) {
        int cp = Character.toCodePoint(high, ch);
        ensure(4);
        buf[count++] = (byte) (0xF0 | (cp >> 18));
        buf[count++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        buf[count++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        buf[count++] = (byte) (0x80 | (cp & 0x3F));
        return;
      }
      put('?');
    }
    if (ch < 0x80) {
      put(ch);
    } else if (ch < 0x800) {
      ensure(2);
      buf[count++] = (byte) (0xC0 | (ch >> 6));
      buf[count++] = (byte) (0x80 | (ch & 0x3F));
    } else if (Character.isHighSurrogate(ch)) {
      highSurrogate = ch;
    } else if (Character.isLowSurrogate(ch)) {
      put('?');
    } else {
      ensure(3);
      buf[count++] = (byte) (0xE0 | (ch >> 12));
      buf[count++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
      buf[count++] = (byte) (0x80 | (ch & 0x3F));
    }
  }

  @Override
  public void write(char[] cbuf, int off, int len) {
    for (int i = off; i < off + len; i++) {
      write(cbuf[i]);
    }
  }

  @Override
  public void write(String s, int off, int len) {
    for (int i = off; i < off + len; i++) {
      write(s.charAt(i));
    }
  }

  private void put(char ascii) {
    if (count == buf.length) {
      ensure(1);
    }
    buf[count++] = (byte) ascii;
  }

  private void ensure(int more) {
    if (count + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
    }
  }

  /** The bytes written; a pending high surrogate with nothing after it counts as unpaired. */
  byte[] toByteArray() {
    if (highSurrogate != 0) {
      highSurrogate = 0;
      put('?');
    }
    return Arrays.copyOf(buf, count);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
