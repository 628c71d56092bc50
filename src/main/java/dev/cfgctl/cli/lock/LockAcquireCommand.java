package dev.cfgctl.cli.lock;

import dev.cfgctl.app.LockHolder;
import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
import dev.cfgctl.output.Format;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Lock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lock acquire REF}: prints the lock id, the secret that writes and heartbeats need. */
public final class LockAcquireCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<LockAcquireCommand> m =
        CommandModel.command("acquire", LockAcquireCommand.class, () -> new LockAcquireCommand(io))
            .header("Take a config's edit lock; prints its id.")
            .description(
                "Held by someone else: exit 4 with who holds it, from which client, since when and"
                    + " until when; --wait polls until it is free, --take-over takes it (editors;"
                    + " the holder's next heartbeat or write fails, and the take-over is audited).")
            .examples(
                "Lock, write under the lock, release",
                "id=$(cfgctl lock acquire acme/landing --ttl 10m --note \"spring sale\")\n"
                    + "  cfgctl patch -c acme/landing sale.json --lock-id \"$id\"\n"
                    + "  cfgctl lock release acme/landing --lock-id \"$id\"");
    StoredOptions.addTo(m.mixin(c -> c.opts));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v)
        .completionCandidates(Candidates.REFS);
    LockRequestOptions.addTo(m.mixin(c -> c.request));
    return m.spec();
  }

  final StoredOptions opts = new StoredOptions();
  final LockRequestOptions request = new LockRequestOptions();
  String ref;

  private final Io io;

  LockAcquireCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    opts.check();
    Format format = opts.output.format(Format.TEXT);
    ConfigStore.LockRequest req = request.request(io);
    Duration wait = request.waitTime();
    try (Session s = opts.open(io)) {
      Ref r = s.ref(ref).current("lock acquire");
      LockHolder holder = LockRequestOptions.holder(io, s, r.config());
      Lock l = holder.acquire(r.config(), req, wait);
      TakenLock taken = new TakenLock(l);
      opts.printer(io).print(taken);
      if (format == Format.TEXT) {
        String verb = request.takeOver ? "took over the lock on" : "locked";
        io.err().println(taken.notice(verb, io.clock().instant()));
      }
      return ExitCode.OK;
    }
  }
}
