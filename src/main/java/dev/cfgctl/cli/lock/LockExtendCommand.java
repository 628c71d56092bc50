package dev.cfgctl.cli.lock;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
import dev.cfgctl.output.Format;
import dev.cfgctl.store.Lock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lock extend REF --lock-id ID [--ttl D]}: a heartbeat. */
public final class LockExtendCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<LockExtendCommand> m =
        CommandModel.command("extend", LockExtendCommand.class, () -> new LockExtendCommand(io))
            .header("Extend your lock (a heartbeat); exit 4 if it was lost.")
            .examples(
                "Keep your lock for another 10 minutes from now",
                "cfgctl lock extend acme/landing --lock-id \"$id\" --ttl 10m",
                "A heartbeat from a script that holds the lock, with its id in CFGCTL_LOCK_ID",
                "cfgctl lock extend acme/landing || echo \"lock lost\"");
    StoredOptions.addTo(m.mixin(c -> c.opts));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v)
        .completionCandidates(Candidates.REFS);
    LockIdOption.addTo(m.mixin(c -> c.lockId));
    m.option(
        "--ttl",
        "DURATION",
        "New time to live from now (e.g. 5m). Default: the lock's own.",
        (c, v) -> c.ttl = v);
    return m.spec();
  }

  final StoredOptions opts = new StoredOptions();
  final LockIdOption lockId = new LockIdOption();
  String ref;
  String ttl;

  private final Io io;

  LockExtendCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    opts.check();
    Format format = opts.output.format(Format.TEXT);
    String id = lockId.resolve(io);
    Long ttlSeconds = ttl == null ? null : DurationText.seconds(ttl, "--ttl");
    try (Session s = opts.open(io)) {
      Lock l =
          s.store().extend(s.who(), s.ref(ref).current("lock extend").config(), id, ttlSeconds);
      TakenLock taken = new TakenLock(l);
      opts.printer(io).print(taken);
      if (format == Format.TEXT) {
        io.err().println(taken.notice("extended the lock on", io.clock().instant()));
      }
      return ExitCode.OK;
    }
  }
}
