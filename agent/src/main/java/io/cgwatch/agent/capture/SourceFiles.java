package io.cgwatch.agent.capture;

import io.cgwatch.cgroupfs.NioControlFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/** Capture's reads of the source host: regular files only, opened read-only, never through a symlink, capped. */
final class SourceFiles {
  private SourceFiles() {}

  /** At most {@code cap} bytes; larger files are refused. Opened read-only, never through a symlink. */
  static byte[] read(Path file, int cap) throws IOException {
    NioControlFiles.requireRegular(file); // a FIFO would block open(2) for good
    try (InputStream in = Channels.newInputStream(
        Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)))) {
      byte[] b = in.readNBytes(cap + 1);
      if (b.length > cap) {
        throw new IOException("larger than " + cap + " bytes, not copied");
      }
      return b;
    }
  }

  /** Whether a {@code cgroup.procs} lists any process; reads at most 64 bytes and keeps none of them. */
  static boolean hasContent(Path file) throws IOException {
    NioControlFiles.requireRegular(file);
    try (InputStream in = Channels.newInputStream(
        Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)))) {
      byte[] b = in.readNBytes(64);
      return !new String(b, StandardCharsets.US_ASCII).isBlank();
    }
  }
}
