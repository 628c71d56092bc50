package dev.cfgctl.cli.lock;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
import dev.cfgctl.store.Lock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lock status REF}. */
public final class LockStatusCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<LockStatusCommand> m =
        CommandModel.command("status", LockStatusCommand.class, () -> new LockStatusCommand(io))
            .header("Show who holds a config's lock, since when, until when.")
            .examples(
                "Who holds the landing page?",
                "cfgctl lock status acme/landing",
                "Is it locked? (true or false, for a script)",
                "cfgctl lock status acme/landing -o json | jq .locked");
    StoredOptions.addTo(m.mixin(c -> c.opts));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v)
        .completionCandidates(Candidates.REFS);
    return m.spec();
  }

  final StoredOptions opts = new StoredOptions();
  String ref;

  private final Io io;

  LockStatusCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    opts.check();
    try (Session s = opts.open(io)) {
      Ref r = s.ref(ref).current("lock status");
      Optional<Lock> l = s.store().lock(s.who(), r.config());
      LockStatus status = new LockStatus(r.config(), l, io.clock().instant());
      opts.printer(io).print(status);
      return ExitCode.OK;
    }
  }
}
