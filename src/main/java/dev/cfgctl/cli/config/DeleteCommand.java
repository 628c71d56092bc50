package dev.cfgctl.cli.config;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.FormatOption;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoreOptions;
import dev.cfgctl.cli.options.WriteOptions;
import dev.cfgctl.output.Format;
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
    CommonOptions.addTo(m.mixin(c -> c.common));
    FormatOption.addTo(m.mixin(c -> c.output));
    StoreOptions.addTo(m.mixin(c -> c.store));
    WriteOptions.addTo(m.mixin(c -> c.write), false);
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

  final CommonOptions common = new CommonOptions();
  final FormatOption output = new FormatOption();
  final StoreOptions store = new StoreOptions();
  final WriteOptions write = new WriteOptions();
  String ref;
  long expect;

  private final Io io;

  public DeleteCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    common.check();
    try (Session s = store.open(io)) {
      Ref r = s.ref(ref).current("delete");
      long v = s.store().delete(s.who(), r.config(), expect, write.write(io));
      output.printer(io, common, Format.TEXT).print(new Deleted(r.config(), v));
      return ExitCode.OK;
    }
  }
}
