package dev.cfgctl.cli.lock;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
import dev.cfgctl.store.Lock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lock status REF}, and {@code who REF}: the lock and who is connected. One class, as they
 * differ in what they show beside the lock.
 */
public final class LockStatusCommand implements Callable<Integer> {
  /** {@code who REF}. */
  public static CommandSpec whoModel(Io io) {
    CommandModel<LockStatusCommand> m =
        CommandModel.command("who", LockStatusCommand.class, () -> new LockStatusCommand(io, true))
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
    return options(m);
  }

  static CommandSpec model(Io io) {
    CommandModel<LockStatusCommand> m =
        CommandModel.command(
                "status", LockStatusCommand.class, () -> new LockStatusCommand(io, false))
            .header("Show who holds a config's lock, since when, until when.")
            .examples(
                "Who holds the landing page?",
                "cfgctl lock status acme/landing",
                "Is it locked? (true or false, for a script)",
                "cfgctl lock status acme/landing -o json | jq .locked");
    return options(m);
  }

  private static CommandSpec options(CommandModel<LockStatusCommand> m) {
    StoredOptions.addTo(m.mixin(c -> c.opts));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v)
        .completionCandidates(Candidates.REFS);
    return m.spec();
  }

  final StoredOptions opts = new StoredOptions();
  String ref;

  private final Io io;
  private final boolean who;

  LockStatusCommand(Io io, boolean who) {
    this.io = io;
    this.who = who;
  }

  @Override
  public Integer call() {
    opts.check();
    try (Session s = opts.open(io)) {
      Ref r = s.ref(ref).current(who ? "who" : "lock status");
      Optional<Lock> l = s.store().lock(s.who(), r.config());
      Instant now = io.clock().instant();
      opts.printer(io)
          .print(
              who
                  ? new Who(r.config(), l, s.store().sessions(s.who(), r.config()), now)
                  : new LockStatus(r.config(), l, now));
      return ExitCode.OK;
    }
  }
}
