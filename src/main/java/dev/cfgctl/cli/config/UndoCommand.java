package dev.cfgctl.cli.config;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
import dev.cfgctl.store.Revision;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code undo} and {@code redo}: one class, as they differ in a word and one option. */
public final class UndoCommand implements Callable<Integer> {
  public static CommandSpec undoModel(Io io) {
    CommandModel<UndoCommand> m =
        CommandModel.command("undo", UndoCommand.class, () -> new UndoCommand(io, false))
            .header("Undo your latest change to a config (multiplayer: others' changes stay).")
            .description(
                "Revert your own latest change that is not undone yet, as a new revision; other"
                    + " people's changes since stay. Refused (exit 3) with the conflicting pointers when someone"
                    + " changed the same place since. A deleted config comes back.")
            .examples(
                "Undo your last two changes",
                "cfgctl undo acme/landing --steps 2",
                "Admin: undo whoever changed it last",
                "cfgctl undo acme/landing --any");
    options(m);
    m.flag("--any", "Undo the latest change by anyone (admins only).", (c, v) -> c.any = v);
    return m.spec();
  }

  public static CommandSpec redoModel(Io io) {
    CommandModel<UndoCommand> m =
        CommandModel.command("redo", UndoCommand.class, () -> new UndoCommand(io, true))
            .header("Redo your latest undone change.")
            .examples("Redo what you just undid", "cfgctl redo acme/landing");
    options(m);
    return m.spec();
  }

  private static void options(CommandModel<UndoCommand> m) {
    StoredOptions.addWriteTo(m.mixin(c -> c.opts), false);
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v)
        .completionCandidates(Candidates.REFS);
    m.option(
            "--steps",
            int.class,
            "N",
            "How many changes. Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.steps = v)
        .defaultValue("1");
    m.option(
        "--expect-version",
        Long.class,
        "N",
        "Refuse (exit 3) unless the config is at version N.",
        (c, v) -> c.expect = v);
  }

  final StoredOptions opts = new StoredOptions();
  String ref;
  int steps;
  boolean any;
  Long expect;

  private final Io io;
  private final boolean redo;

  public UndoCommand(Io io, boolean redo) {
    this.io = io;
    this.redo = redo;
  }

  @Override
  public Integer call() {
    opts.check();
    if (steps < 1 || steps > 1000)
      throw CliException.usage("--steps must be between 1 and 1000", null);
    try (Session s = opts.open(io)) {
      Ref r = s.ref(ref).current(redo ? "redo" : "undo");
      List<Revision> done =
          redo
              ? s.store().redo(s.who(), r.config(), steps, expect, opts.write(io))
              : s.store().undo(s.who(), r.config(), any, steps, expect, opts.write(io));
      opts.printer(io).print(new Undone(r.config(), redo, done));
      return ExitCode.OK;
    }
  }
}
