package io.cgwatch.agent.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prints a shell completion script generated from the command line itself, so it never lags behind a new flag.
 * zsh gets the same script: picocli's script enables zsh's {@code bashcompinit} itself when it runs under zsh.
 */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Prints a completion script for bash or zsh on stdout.",
        "bash: source <(cgwatch completion bash), or save it as /usr/share/bash-completion/completions/cgwatch.",
        "zsh: source <(cgwatch completion zsh) in ~/.zshrc; it is the bash script, which runs "
            + "`autoload -U +X bashcompinit && bashcompinit` itself under zsh."})
final class CompletionCommand implements Callable<Integer> {
  /** Shells with a script. */
  enum Shell { bash, zsh }

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(script());
    spec.commandLine().getOut().flush();
    return 0;
  }

  private String script() {
    String bash = AutoComplete.bash("cgwatch", spec.root().commandLine());
    return shell == Shell.zsh
        ? "# cgwatch completion for zsh: the bash script below, run through zsh's bashcompinit (it loads it).\n" + bash
        : bash;
  }
}
