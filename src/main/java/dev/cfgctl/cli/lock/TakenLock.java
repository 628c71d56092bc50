package dev.cfgctl.cli.lock;

import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.file.Outputs;
import dev.cfgctl.store.Durations;
import dev.cfgctl.store.Lock;
import java.time.Duration;

/** How {@code lock acquire} and {@code lock extend} show the lock they got. */
final class TakenLock {
  private TakenLock() {}

  /** The id on stdout (for {@code id=$(…)}) and what happened on stderr; or the lock as JSON. */
  static void print(Io io, CommonOptions common, boolean json, Lock l, String verb) {
    if (json) {
      Outputs.print(io, l.toJson(), common.pretty(io.stdoutTerminal()));
    } else {
      io.out().println(l.id());
      io.err()
          .println(
              verb
                  + " "
                  + l.ref()
                  + " (fence "
                  + l.fence()
                  + "); it expires in "
                  + Durations.format(Duration.between(io.clock().instant(), l.expiresAt()))
                  + " unless extended: cfgctl lock extend "
                  + l.ref()
                  + " --lock-id "
                  + l.id());
    }
  }
}
