package dev.cfgctl.cli.lock;

import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
import dev.cfgctl.output.Format;
import dev.cfgctl.store.Lock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lock list [--tenant T] [--stale AGE]}: the support view. */
public final class LockListCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<LockListCommand> m =
        CommandModel.command("list", LockListCommand.class, () -> new LockListCommand(io))
            .header("List a tenant's live locks: holder, client, age, last heartbeat, expiry.")
            .examples(
                "Every live lock in tenant acme",
                "cfgctl lock list --tenant acme",
                "Support: locks whose holder sent no heartbeat for 10 minutes",
                "cfgctl lock list --tenant acme --stale 10m");
    StoredOptions.addTo(m.mixin(c -> c.opts));
    m.option(
        "--stale", "AGE", "Only locks not heartbeated for AGE (e.g. 10m).", (c, v) -> c.stale = v);
    return m.spec();
  }

  final StoredOptions opts = new StoredOptions();
  String stale;

  private final Io io;

  LockListCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    opts.check();
    Long staleSeconds = stale == null ? null : DurationText.seconds(stale, "--stale");
    try (Session s = opts.open(io)) {
      if (s.tenant() == null) throw CliException.usage("which tenant? pass --tenant T", null);
      List<Lock> locks = s.store().locks(s.who(), s.tenant(), staleSeconds);
      if (locks.isEmpty() && opts.output.format(Format.TEXT) == Format.TEXT) {
        // a header over nothing reads like a failed command
        io.err()
            .println(
                staleSeconds == null
                    ? "no live locks in " + s.tenant()
                    : "no locks in " + s.tenant() + " without a heartbeat for " + stale);
        return ExitCode.OK;
      }
      opts.printer(io).print(new LockList(locks, io.clock().instant()));
      return ExitCode.OK;
    }
  }
}
