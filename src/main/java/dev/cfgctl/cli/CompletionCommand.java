package dev.cfgctl.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.TypeConversionException;

public final class CompletionCommand implements Callable<Integer> {
  /** The shells there is a script for. */
  static final List<String> SHELLS = List.of("bash", "zsh");

  static CommandSpec model(Io io) {
    CommandModel<CompletionCommand> m =
        CommandModel.command(
                "completion", CompletionCommand.class, spec -> new CompletionCommand(io, spec))
            .header("Print the shell completion script.")
            .description(
                "Commands, options and their fixed values complete at once; context names, refs"
                    + " and tenants are looked up by running cfgctl (silently, at most 5 seconds).")
            .examples(
                "Enable completion in the current bash session",
                "source <(cfgctl completion bash)",
                "The same in zsh (after compinit)",
                "source <(cfgctl completion zsh)",
                "Install it for every bash session",
                "cfgctl completion bash > ~/.local/share/bash-completion/completions/cfgctl",
                "Install it for zsh, in a directory on $fpath",
                "cfgctl completion zsh > ~/.zfunc/_cfgctl");
    m.operand(
            "SHELL",
            "bash or zsh. Default: zsh when $SHELL is zsh, else bash.",
            (c, v) -> c.shell = v)
        .arity("0..1")
        .converters(CompletionCommand::shell)
        .completionCandidates(Candidates.of(SHELLS));
    return m.spec();
  }

  String shell;
  private final Io io;
  private final CommandSpec spec;

  public CompletionCommand(Io io, CommandSpec spec) {
    this.io = io;
    this.spec = spec;
  }

  @Override
  public Integer call() {
    String login = io.env().getOrDefault("SHELL", "");
    boolean zsh =
        shell != null ? shell.equals("zsh") : login.equals("zsh") || login.endsWith("/zsh");
    CommandSpec root = spec.root();
    io.out().print(zsh ? CompletionScript.zsh(root) : CompletionScript.bash(root));
    io.out().flush();
    return ExitCode.OK;
  }

  private static String shell(String name) {
    if (!SHELLS.contains(name))
      throw new TypeConversionException("expected bash or zsh, not '" + name + "'");
    return name;
  }
}
