package io.cgwatch.agent.cli;

import io.cgwatch.agent.log.JsonLog;
import io.cgwatch.exporters.text.TerminalSafe;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What every command prints when it cannot do its job: one line, {@code cgwatch <command>: <what>: <problem>}, and
 * the exit code documented for it (3, UNKNOWN for a monitoring check). No usage text (one line points to
 * {@code --help}), no stack trace, no Java class names. {@code serve} also writes the line as a JSON log event,
 * for the log collector that is often the only one reading its stderr. {@code CGWATCH_DEBUG=1} adds the stack
 * trace, for a bug report.
 */
final class CliErrors {
  private CliErrors() {}

  static void install(CommandLine cli, Clock clock) {
    cli.setParameterExceptionHandler(parameterHandler(clock));
    cli.setExecutionExceptionHandler(executionHandler(clock));
  }

  private static IParameterExceptionHandler parameterHandler(Clock clock) {
    return (e, args) -> {
      CommandLine cmd = e.getCommandLine();
      String line = e.getMessage() == null ? "bad usage" : firstLine(e.getMessage());
      if (!(e instanceof io.cgwatch.agent.reclaim.ReclaimRefused)) { // a refusal is an answer, not a mistake
        List<String> suggestions = e instanceof UnmatchedArgumentException u ? u.getSuggestions() : List.of();
        line += (suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)")
            + "; see: " + cmd.getCommandSpec().qualifiedName() + " --help";
      }
      return report(cmd, clock, line, e, cmd.getCommandSpec().exitCodeOnInvalidInput());
    };
  }

  private static IExecutionExceptionHandler executionHandler(Clock clock) {
    return (e, cmd, parseResult) -> report(cmd, clock, describe(e), e,
        cmd.getCommandSpec().exitCodeOnExecutionException());
  }

  private static int report(CommandLine cmd, Clock clock, String problem, Exception e, int exitCode) {
    String line = TerminalSafe.escape(cmd.getCommandSpec().qualifiedName() + ": " + problem);
    if ("serve".equals(cmd.getCommandName())) {
      new JsonLog(System.err, clock).error("cannot start", Map.of("error", problem, "exit_code", exitCode));
    }
    PrintWriter err = cmd.getErr();
    err.println(line);
    if ("1".equals(System.getenv("CGWATCH_DEBUG"))) {
      e.printStackTrace(err);
    }
    err.flush();
    return exitCode;
  }

  /** The problem in the user's terms: the file or address, and what is wrong with it. */
  static String describe(Throwable e) {
    if (e instanceof UncheckedIOException && e.getCause() != null) {
      return describe(e.getCause());
    }
    if (e instanceof BindException) {
      return firstLine(e.getMessage()) + " (another process has it; pick another with --web.listen-address)";
    }
    if (e instanceof FileSystemException f && f.getFile() != null) {
      String what = e instanceof NoSuchFileException ? "no such file or directory"
          : e instanceof AccessDeniedException ? "permission denied"
          : e instanceof FileAlreadyExistsException ? "already exists"
          : e instanceof NotDirectoryException ? "not a directory"
          : f.getReason() != null ? f.getReason() : "cannot be used";
      return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + lower(what);
    }
    if (e instanceof OutOfMemoryError) {
      return "out of memory; give the JVM more (JAVA_OPTS=-Xmx...)";
    }
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return "internal error, please report it (rerun with CGWATCH_DEBUG=1 for the details)";
    }
    return firstLine(m);
  }

  private static String lower(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  /** Multi-line messages (parsers quote the input) become one line. */
  private static String firstLine(String m) {
    return String.join("; ", m.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
  }
}
