package dev.cfgctl.cli.lock;

import dev.cfgctl.app.LockHolder;
import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoreOptions;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Lock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lock exec REF -- COMMAND…}: holds the lock while a command runs, heartbeating it, and
 * releases it afterwards (also on Ctrl-C and SIGTERM); the command gets the id in CFGCTL_LOCK_ID.
 */
public final class LockExecCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<LockExecCommand> m =
        CommandModel.command("exec", LockExecCommand.class, () -> new LockExecCommand(io))
            .header("Run a command while holding a config's lock.")
            .description(
                "Acquires the lock, runs COMMAND with the lock id in CFGCTL_LOCK_ID (cfgctl writes"
                    + " in it use it, on the context, server, token and tenant this command line"
                    + " chose), extends the lock every third of its TTL while the command runs, and"
                    + " releases it when the command ends, also on Ctrl-C or SIGTERM. Exits with"
                    + " the command's exit code; 4 if the lock could not be taken, or was lost"
                    + " while the command ran and it exited 0; 6 if there is no such command (where"
                    + " a shell says 127), 2 if it cannot be started otherwise.")
            .examples(
                "A migration script that must not race other editors",
                "cfgctl lock exec acme/landing --ttl 1m -- ./migrate.sh acme/landing");
    CommonOptions.addTo(m.mixin(c -> c.common));
    StoreOptions.addTo(m.mixin(c -> c.store));
    LockRequestOptions.addTo(m.mixin(c -> c.request));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v)
        .completionCandidates(Candidates.REFS);
    m.operands("COMMAND", "The command and its arguments (after --).", (c, v) -> c.command = v)
        .arity("1..*")
        .index("1..*");
    return m.spec();
  }

  final CommonOptions common = new CommonOptions();
  final StoreOptions store = new StoreOptions();
  final LockRequestOptions request = new LockRequestOptions();
  String ref;
  List<String> command;

  private final Io io;

  LockExecCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    common.check();
    ConfigStore.LockRequest req = request.request(io);
    Duration wait = request.waitTime();
    try (Session s = store.open(io)) {
      Ref r = s.ref(ref).current("lock exec");
      LockHolder holder = LockRequestOptions.holder(io, s, r.config());
      Lock lock = holder.hold(r.config(), req, wait);
      ChildProcess child = new ChildProcess(io, command);
      child.environment().put("CFGCTL_LOCK_ID", lock.id());
      store.passTo(io, child.environment());
      int exit = child.run(holder::close);
      if (holder.lost() && exit == 0) return ExitCode.LOCKED;
      return exit;
    }
  }
}
