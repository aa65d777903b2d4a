package io.cgwatch.agent.cli;

import java.net.InetSocketAddress;
import picocli.CommandLine.TypeConversionException;

/** {@code :9756} (every address), {@code 127.0.0.1:9756}, {@code [::1]:9756}, {@code localhost:0}. */
final class ListenAddress {
  private ListenAddress() {}

  static InetSocketAddress parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw new TypeConversionException("'" + value + "' is not host:port or :port");
    }
    String host = value.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "': the port is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new TypeConversionException("'" + value + "': port out of range");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }
}
