package dev.cfgctl.cli.context;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.FormatOption;
import dev.cfgctl.output.Format;
import dev.cfgctl.output.Result;
import dev.cfgctl.output.Format;
import dev.cfgctl.output.Result;
import dev.cfgctl.output.Table;
import dev.cfgctl.patch.Json;
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
    boolean json = output.json("text");
    Contexts c = Contexts.load(io);
    if (json) {
      ObjectNode o = Json.NODES.objectNode();
      if (c.current == null) o.putNull("current"); else o.put("current", c.current);
      ObjectNode all = o.putObject("contexts");
      c.all.forEach((name, ctx) -> all.set(name, ctx.toJson()));
      io.printer(output.format(Format.TEXT), io.stdoutTerminal()).print(Result.json(o));
      return ExitCode.OK;
    }
    Table t = new Table("CURRENT", "NAME", "SERVER", "TENANT", "TOKEN FILE");
    c.all.forEach((name, ctx) -> t.row(name.equals(c.current) ? "*" : "", name,
        ctx.server() != null ? ctx.server() : "embedded " + (ctx.store() != null ? ctx.store() : "(default)"),
        ctx.tenant() == null ? "-" : ctx.tenant(), ctx.tokenFile() == null ? "-" : ctx.tokenFile()));
    t.print(io.out());
    return ExitCode.OK;
  }
}
