package dev.cfgctl.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Model.CommandSpec;

public final class CompletionCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    return CommandModel
        .command("completion", CompletionCommand.class, spec -> new CompletionCommand(io, spec))
        .header("Print the shell completion script.")
        .description("Print the shell completion script for bash and zsh.")
        .examples(
            "Enable completion in the current bash or zsh session",
            "source <(cfgctl completion)",
            "Install it for every bash session",
            "cfgctl completion > ~/.local/share/bash-completion/completions/cfgctl")
        .spec();
  }

  private final Io io;
  private final CommandSpec spec;

  public CompletionCommand(Io io, CommandSpec spec) {
    this.io = io;
    this.spec = spec;
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
