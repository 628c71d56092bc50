package dev.cfgctl.cli.lock;

import dev.cfgctl.app.LockHolder;
import dev.cfgctl.cli.Io;
import dev.cfgctl.output.Printable;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.StoreException;

/** What a lock holder has to say, on stderr. */
final class LockNotices implements LockHolder.Listener {
  private final Io io;
  private final ConfigRef ref;

  LockNotices(Io io, ConfigRef ref) {
    this.io = io;
    this.ref = ref;
  }

  @Override
  public void waiting(StoreException held) {
    io.err().println("waiting for the lock on " + ref + ": " + Printable.of(held.getMessage()));
  }

  @Override
  public void heartbeatFailed(StoreException e) {
    io.err()
        .println("cfgctl: warning: heartbeat failed (retrying): " + Printable.of(e.getMessage()));
  }

  @Override
  public void lost(StoreException e) {
    io.err()
        .println(
            "cfgctl: warning: "
                + Printable.of(e.getMessage())
                + "; the command's writes under it will be refused");
  }

  @Override
  public void releaseFailed(StoreException e) {
    io.err()
        .println(
            "cfgctl: could not release the lock on " + ref + ": " + Printable.of(e.getMessage()));
  }
}
