package dev.cfgctl.cli.lock;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoreOptions;
import dev.cfgctl.output.Printable;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.Times;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lock release REF --lock-id ID | --force --reason TEXT}. */
public final class LockReleaseCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<LockReleaseCommand> m =
        CommandModel.command("release", LockReleaseCommand.class, () -> new LockReleaseCommand(io))
            .header("Release your lock, or (admins) force-release whoever's lock it is.")
            .examples(
                "Release the lock you took with lock acquire",
                "cfgctl lock release acme/landing --lock-id \"$id\"",
                "Clear a stale lock (admins; the holder is told why)",
                "cfgctl lock release acme/landing --force --reason \"sarah's laptop died\"");
    CommonOptions.addTo(m.mixin(c -> c.common));
    StoreOptions.addTo(m.mixin(c -> c.store));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v)
        .completionCandidates(Candidates.REFS);
    LockIdOption.addTo(m.mixin(c -> c.lockId));
    m.flag(
        "--force",
        "End whatever lock is live, without its id (admins only; audited).",
        (c, v) -> c.force = v);
    m.option(
        "--reason",
        "TEXT",
        "Why (with --force): shown to the holder and kept in the audit trail.",
        (c, v) -> c.reason = v);
    return m.spec();
  }

  final CommonOptions common = new CommonOptions();
  final StoreOptions store = new StoreOptions();
  final LockIdOption lockId = new LockIdOption();
  String ref;
  boolean force;
  String reason;

  private final Io io;

  LockReleaseCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    common.check();
    if (force && lockId.value != null) {
      throw CliException.usage("--force and --lock-id exclude each other", null);
    }
    if (force && (reason == null || reason.isBlank())) {
      throw CliException.usage(
          "--force needs a --reason (the holder is told it, and the audit trail keeps it)", null);
    }
    if (!force && reason != null) throw CliException.usage("--reason goes with --force", null);
    String id = force ? null : lockId.resolve(io);
    try (Session s = store.open(io)) {
      Ref r = s.ref(ref).current("lock release");
      if (force) {
        Optional<Lock> held = s.store().lock(s.who(), r.config());
        s.store().forceRelease(s.who(), r.config(), reason);
        io.err()
            .println(
                held.map(
                        l ->
                            "released "
                                + Printable.of(l.holder().name())
                                + "'s lock on "
                                + r.config()
                                + " (held since "
                                + Times.format(l.acquiredAt())
                                + ")")
                    .orElse(r.config() + " was not locked"));
      } else {
        s.store().release(s.who(), r.config(), id);
        io.err().println("released the lock on " + r.config());
      }
      return ExitCode.OK;
    }
  }
}
