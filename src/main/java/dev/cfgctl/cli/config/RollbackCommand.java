package dev.cfgctl.cli.config;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
import dev.cfgctl.store.Revision;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rollback REF --to N}: a new revision with version N's content. */
public final class RollbackCommand implements Callable<Integer> {
  public static CommandSpec model(Io io) {
    CommandModel<RollbackCommand> m =
        CommandModel.command("rollback", RollbackCommand.class, () -> new RollbackCommand(io))
            .header("Make a config's content equal to an earlier version's, as a new revision.")
            .description(
                "Everyone's changes since that version are reverted (see them first with cfgctl"
                    + " diff -c REF@N -c REF). History keeps everything: a rollback can itself be undone.")
            .examples("Back to version 7", "cfgctl rollback acme/landing --to 7");
    StoredOptions.addWriteTo(m.mixin(c -> c.opts), false);
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v)
        .completionCandidates(Candidates.REFS);
    m.option("--to", long.class, "N", "The version to return to.", (c, v) -> c.to = v)
        .required(true);
    m.option(
        "--expect-version",
        Long.class,
        "N",
        "Refuse (exit 3) unless the config is at version N"
            + " (default: whatever version is current).",
        (c, v) -> c.expect = v);
    return m.spec();
  }

  final StoredOptions opts = new StoredOptions();
  String ref;
  long to;
  Long expect;

  private final Io io;

  public RollbackCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    opts.check();
    try (Session s = opts.open(io)) {
      Ref r = s.ref(ref).current("rollback");
      long base = expect != null ? expect : s.store().get(s.who(), r.config()).version();
      Revision rev = s.store().rollback(s.who(), r.config(), to, base, opts.write(io));
      opts.printer(io).print(new RolledBack(r.config(), to, rev));
      return ExitCode.OK;
    }
  }
}
