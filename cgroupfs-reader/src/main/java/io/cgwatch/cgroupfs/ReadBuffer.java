package io.cgwatch.cgroupfs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of the control file read last, in one array reused for every file of a scan, so a read allocates no
 * content {@code String} and no array. Owned by one scan ({@link ScanContext}), one thread; valid until the next
 * read into it.
 */
public final class ReadBuffer {
  /** Every control file cgwatch reads fits (memory.stat is about 1.5 KiB); a larger one grows a copy. */
  static final int INITIAL_BYTES = 16384;

  private final byte[] small = new byte[INITIAL_BYTES];
  private final ByteBuffer smallView = ByteBuffer.wrap(small);
  private byte[] bytes = small;
  private int length;

  /** The content is {@code bytes()[0, length())}. */
  public byte[] bytes() {
    return bytes;
  }

  public int length() {
    return length;
  }

  /** The content decoded as the String parsers always saw it (UTF-8, malformed bytes as U+FFFD). */
  public String string() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  /** Replaces the content with {@code content}'s UTF-8 bytes (for file access that only has a String). */
  public void set(String content) {
    byte[] encoded = content.getBytes(StandardCharsets.UTF_8);
    bytes = encoded.length <= small.length ? small : new byte[encoded.length];
    System.arraycopy(encoded, 0, bytes, 0, encoded.length);
    length = encoded.length;
  }

  /** Starts a read: the shared small array, empty, as a buffer positioned at 0. */
  ByteBuffer start() {
    bytes = small;
    length = 0;
    return smallView.clear();
  }

  /**
   * The read filled the buffer: continues in a larger copy (this file only; the next read starts small again).
   * Returns the view to go on reading into.
   */
  ByteBuffer grow(ByteBuffer full, int maxBytes) {
    int n = full.position();
    bytes = Arrays.copyOf(bytes, Math.min(bytes.length * 4, maxBytes + 1));
    ByteBuffer view = ByteBuffer.wrap(bytes);
    view.position(n);
    return view;
  }

  /**
   * Starts a read for file access that copies into the array itself (the native one): the shared small array,
   * empty. Finish with {@link #end}.
   */
  public byte[] startArray() {
    bytes = small;
    length = 0;
    return small;
  }

  /** The array of {@link #startArray} is full: continues in a larger copy (this file only), returned. */
  public byte[] growArray(int maxBytes) {
    bytes = Arrays.copyOf(bytes, Math.min(bytes.length * 4, maxBytes + 1));
    return bytes;
  }

  /** The read ended after {@code n} bytes. */
  public void end(int n) {
    length = n;
  }
}
