package dev.cfgctl.cli.context;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code context use NAME|--none}. */
public final class ContextUseCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<ContextUseCommand> m =
        CommandModel.command("use", ContextUseCommand.class, () -> new ContextUseCommand(io))
            .header("Make a context the current one, or none.")
            .description(
                "With --none no context is current: commands use the embedded store, unless"
                    + " --server, CFGCTL_SERVER, --context or CFGCTL_CONTEXT name another.")
            .examples(
                "Work on production from now on",
                "cfgctl context use prod",
                "Back to the embedded store (kubectl: config unset current-context)",
                "cfgctl context use --none");
    m.operand("NAME", "The context's name.", (c, v) -> c.name = v)
        .arity("0..1")
        .completionCandidates(Candidates.CONTEXTS);
    m.flag("--none", "Make no context current.", (c, v) -> c.none = v);
    return m.spec();
  }

  final Io io;
  String name;
  boolean none;

  ContextUseCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    if (none && name != null)
      throw CliException.usage("give a context NAME or --none, not both", null);
    Contexts c = Contexts.load(io);
    if (none) {
      c.current = null;
      c.save();
      io.err()
          .println(
              "no current context: commands use the embedded store unless --server,"
                  + " CFGCTL_SERVER, --context or CFGCTL_CONTEXT say otherwise");
      return ExitCode.OK;
    }
    if (name == null || name.isEmpty()) {
      throw CliException.usage(
          name == null ? "which context? give its NAME" : "a context name cannot be empty",
          "to use none (the embedded store): cfgctl context use --none");
    }
    c.get(name); // refuses an unknown name, listing the known ones
    c.current = name;
    c.save();
    io.err().println("now using context " + name);
    return ExitCode.OK;
  }
}
