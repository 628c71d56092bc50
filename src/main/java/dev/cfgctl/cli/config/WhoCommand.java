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

/** {@code who REF}: the lock holder and every session connected to the config, in one view. */
public final class WhoCommand implements Callable<Integer> {
  public static CommandSpec model(Io io) {
    CommandModel<WhoCommand> m =
        CommandModel.command("who", WhoCommand.class, () -> new WhoCommand(io))
            .header("Show who holds a config's lock and who is connected to it.")
            .description(
                "Every session connected to the config's change stream, on every server: shells,"
                    + " watchers and editors, with the pointer each is looking at and since when;"
                    + " and the edit lock, if one is held.")
            .examples(
                "Who is on the landing page?",
                "cfgctl who acme/landing",
                "How many are connected (for a script)?",
                "cfgctl who acme/landing -o json | jq '.sessions | length'");
    StoredOptions.addTo(m.mixin(c -> c.opts));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v)
        .completionCandidates(Candidates.REFS);
    return m.spec();
  }

  final StoredOptions opts = new StoredOptions();
  String ref;

  private final Io io;

  WhoCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    opts.check();
    try (Session s = opts.open(io)) {
      Ref r = s.ref(ref).current("who");
      Who who =
          new Who(
              r.config(),
              s.store().lock(s.who(), r.config()),
              s.store().sessions(s.who(), r.config()),
              io.clock().instant());
      opts.printer(io).print(who);
      return ExitCode.OK;
    }
  }
}
