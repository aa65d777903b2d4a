package io.cgwatch.agent.reclaim;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code cgwatch reclaim} declined to write, with the reason and what to do instead. A usage error to picocli (so
 * it exits with the code for invalid input, 3), but a distinct type so a handler can print just the reason,
 * without the usage text that follows ordinary usage errors.
 */
public final class ReclaimRefused extends ParameterException {
  private static final long serialVersionUID = 1L;

  ReclaimRefused(CommandLine commandLine, String why) {
    super(commandLine, "reclaim refused: " + why);
  }
}
