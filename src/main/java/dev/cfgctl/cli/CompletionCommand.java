package dev.cfgctl.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "completion",
    header = "Print the shell completion script.",
    description = "Print the shell completion script for bash and zsh.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  # Enable completion in the current bash or zsh session",
      "  source <(cfgctl completion)",
      "",
      "  # Install it for every bash session",
      "  cfgctl completion > ~/.local/share/bash-completion/completions/cfgctl"
    })
public final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private final Io io;

  public CompletionCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    io.out().print(script(spec.root().commandLine()));
    io.out().flush();
    return ExitCode.OK;
  }

  /** The completion script for the whole command tree; also what {@code completions/} holds. */
  public static String script(picocli.CommandLine root) {
    return AutoComplete.bash(root.getCommandName(), root);
  }
}
