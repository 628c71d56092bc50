package dev.cfgctl.cli.lock;

import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.Io;

/** {@code --lock-id ID}: the holder's lock, also taken from CFGCTL_LOCK_ID. */
final class LockIdOption {
  String value;

  static void addTo(CommandModel<LockIdOption> m) {
    m.option("--lock-id", "ID", "Your lock's id (env CFGCTL_LOCK_ID).", (o, v) -> o.value = v);
  }

  /** The lock id of this command line: --lock-id, else CFGCTL_LOCK_ID. */
  String resolve(Io io) {
    String id = value != null ? value : io.env().get("CFGCTL_LOCK_ID");
    if (id == null || id.isBlank()) {
      throw CliException.usage(
          "which lock? pass --lock-id ID (or set CFGCTL_LOCK_ID)",
          "the id is what 'cfgctl lock acquire' printed");
    }
    return id.trim();
  }
}
