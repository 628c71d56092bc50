package dev.cfgctl.cli.config;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code delete REF}: a tombstone revision, which undo reverts. */
public final class DeleteCommand implements Callable<Integer> {
  public static CommandSpec model(Io io) {
    CommandModel<DeleteCommand> m =
        CommandModel.command("delete", DeleteCommand.class, () -> new DeleteCommand(io))
            .header("Delete a stored config (a tombstone that undo brings back).")
            .description(
                "Delete a config as a new revision: its history stays, and 'cfgctl undo REF' brings"
                    + " it back. Refused (exit 3) unless the config is at --expect-version.")
            .examples(
                "Delete version 12 of the old pricing page",
                "cfgctl delete acme/pricing-2025 --expect-version 12");
    StoredOptions.addWriteTo(m.mixin(c -> c.opts), false);
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v)
        .completionCandidates(Candidates.REFS);
    m.option(
            "--expect-version",
            long.class,
            "N",
            "The version you mean to delete (required).",
            (c, v) -> c.expect = v)
        .required(true);
    return m.spec();
  }

  final StoredOptions opts = new StoredOptions();
  String ref;
  long expect;

  private final Io io;

  public DeleteCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    opts.check();
    try (Session s = opts.open(io)) {
      Ref r = s.ref(ref).current("delete");
      long v = s.store().delete(s.who(), r.config(), expect, opts.write(io));
      opts.printer(io).print(new Deleted(r.config(), v));
      return ExitCode.OK;
    }
  }
}
