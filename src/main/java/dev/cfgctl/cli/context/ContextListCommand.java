package dev.cfgctl.cli.context;

import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.FormatOption;
import dev.cfgctl.output.Format;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code context list}. */
public final class ContextListCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<ContextListCommand> m =
        CommandModel.command("list", ContextListCommand.class, () -> new ContextListCommand(io))
            .header("List the contexts; * marks the current one.")
            .examples(
                "Which context is current, and what each one names",
                "cfgctl context list",
                "The current context's name, for a script (null when none)",
                "cfgctl context list -o json | jq -r .current");
    FormatOption.addTo(m.mixin(c -> c.output));
    return m.spec();
  }

  final Io io;
  final FormatOption output = new FormatOption();

  ContextListCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    Contexts c = Contexts.load(io);
    ContextList list = new ContextList(c.current, c.all);
    io.printer(output.format(Format.TEXT), io.stdoutTerminal()).print(list);
    return ExitCode.OK;
  }
}
