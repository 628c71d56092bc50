package dev.cfgctl.cli;

import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoreOptions;
import dev.cfgctl.output.Printable;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lock exec REF -- COMMAND…}: holds the lock while a command runs, heartbeating it, and
 * releases it afterwards (also on Ctrl-C and SIGTERM); the command gets the id in CFGCTL_LOCK_ID.
 */
public final class LockExec implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<LockExec> m = CommandModel.command("exec", LockExec.class, () -> new LockExec(io))
        .header("Run a command while holding a config's lock.")
        .description("Acquires the lock, runs COMMAND with the lock id in CFGCTL_LOCK_ID (cfgctl writes in"
            + " it use it, on the context, server, token and tenant this command line chose), extends the lock every third of its TTL while the command runs, and releases"
            + " it when the command ends, also on Ctrl-C or SIGTERM. Exits with the command's exit code;"
            + " 4 if the lock could not be taken, or was lost while the command ran and it exited 0; 6 if"
            + " there is no such command (where a shell says 127), 2 if it cannot be started otherwise.")
        .examples("A migration script that must not race other editors",
            "cfgctl lock exec acme/landing --ttl 1m -- ./migrate.sh acme/landing");
    CommonOptions.addTo(m.mixin(c -> c.common));
    StoreOptions.addTo(m.mixin(c -> c.store));
    LockAcquire.addRequestOptions(m.mixin(c -> c.request));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v).completionCandidates(Candidates.REFS);
    m.operands("COMMAND", "The command and its arguments (after --).", (c, v) -> c.command = v).arity("1..*").index("1..*");
    return m.spec();
  }

  final CommonOptions common = new CommonOptions();
  final StoreOptions store = new StoreOptions();
  final LockAcquire.Options request = new LockAcquire.Options();
  String ref;
  List<String> command;

  private final Io io;

  public LockExec(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    common.check();
    var req = LockCommand.request(io, request.ttl, request.note, request.client, request.takeOver, request.reason);
    long wait = request.waitFor == null ? 0 : LockCommand.seconds(request.waitFor, "--wait");
    try (Session s = store.open(io)) {
      Ref r = s.ref(ref).current("lock exec");
      Lock lock = LockCommand.acquire(io, s, r, req, wait);
      AtomicBoolean lost = new AtomicBoolean();
      AtomicBoolean released = new AtomicBoolean();
      Runnable release = () -> {
        if (released.getAndSet(true)) return;
        try {
          s.store().release(s.who(), r.config(), lock.id());
        } catch (StoreException e) {
          if (e.problem() != Problem.LOCK_LOST) {
            io.err().println("cfgctl: could not release the lock on " + r.config() + ": "
                + Printable.of(e.getMessage()));
          }
        }
      };
      Process child;
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().put("CFGCTL_LOCK_ID", lock.id());
      store.passTo(io, pb.environment());
      boolean realStreams = io.out() == System.out && io.err() == System.err;
      if (realStreams) pb.inheritIO();
      try {
        child = pb.start();
      } catch (IOException e) {
        release.run();
        String program = command.get(0);
        int errno = errno(e.getMessage());
        if (errno == 2) {
          // "not found" in the exit code table, where a shell would exit 127
          throw new CliException(ExitCode.NOT_FOUND, "cannot run " + program + ": no such command",
              program.contains("/") ? null : "check its name and the PATH (a script here: ./" + program + ")");
        }
        String why = errno == 13 ? "permission denied" : e.getMessage();
        throw CliException.usage("cannot run " + program + ": " + why, null);
      }
      List<Thread> pumps = new java.util.ArrayList<>();
      if (!realStreams) { // in-process callers (tests): copy the command's output to our streams
        child.getOutputStream().close();
        pumps.add(pump(child.getInputStream(), io.out()));
        pumps.add(pump(child.getErrorStream(), io.err()));
      }
      // Ctrl-C / SIGTERM end the JVM: stop the command, then release
      Thread hook = new Thread(() -> {
        child.destroy();
        try {
          child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          // releasing anyway
        }
        release.run();
      }, "cfgctl-lock-exec-release");
      Runtime.getRuntime().addShutdownHook(hook);
      Thread heartbeat = new Thread(() -> {
        long every = Math.max(1000, lock.ttlSeconds() * 1000 / 3);
        while (!lost.get()) {
          try {
            Thread.sleep(every);
            s.store().extend(s.who(), r.config(), lock.id(), null);
          } catch (InterruptedException e) {
            return;
          } catch (StoreException e) {
            if (e.problem() == Problem.LOCK_LOST) {
              lost.set(true);
              io.err().println("cfgctl: warning: " + Printable.of(e.getMessage())
                  + "; the command's writes under it will be refused");
            } else {
              io.err().println("cfgctl: warning: heartbeat failed (retrying): "
                  + Printable.of(e.getMessage()));
            }
          }
        }
      }, "cfgctl-lock-heartbeat");
      heartbeat.setDaemon(true);
      heartbeat.start();
      int exit = child.waitFor();
      heartbeat.interrupt();
      for (Thread t : pumps) t.join(10_000);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        return exit; // the JVM is ending: the hook releases
      }
      release.run();
      io.out().flush();
      if (lost.get() && exit == 0) return ExitCode.LOCKED;
      return exit;
    }
  }

  private static Thread pump(InputStream in, OutputStream out) {
    Thread t = new Thread(() -> {
      try (in) {
        in.transferTo(out);
        out.flush();
      } catch (IOException ignored) {
        // the command ended
      }
    }, "cfgctl-lock-exec-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static final Pattern ERRNO = Pattern.compile("error(?:=|: )(\\d+)");

  /**
   * The errno in the JDK's "Cannot run program" message: "error=2, No such file or directory" on
   * JDK 17, "Exec failed, error: 2 (No such file or directory)" on JDK 25 (the launcher's pick); -1
   * when there is none.
   */
  static int errno(String message) {
    Matcher m = message == null ? null : ERRNO.matcher(message);
    return m != null && m.find() ? Integer.parseInt(m.group(1)) : -1;
  }
}
