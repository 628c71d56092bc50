package dev.cfgctl.cli.options;

import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.Io;
import dev.cfgctl.store.ConfigStore;

/** How a write presents itself: a message, the edit lock it is made under, whether to rebase. */
public final class WriteOptions {
  public String message;
  public String lockId;
  public boolean rebase;

  public static void addTo(CommandModel<WriteOptions> m, boolean rebase) {
    m.option("-m, --message", "TEXT", "Say why, in the history.", (o, v) -> o.message = v);
    m.option(
        "--lock-id",
        "ID",
        "Write under this edit lock (env CFGCTL_LOCK_ID).",
        (o, v) -> o.lockId = v);
    if (rebase) {
      m.flag(
          "--rebase",
          "If the config changed since --expect-version, apply the change on top of"
              + " those changes; refused (exit 3) when they touched the same places.",
          (o, v) -> o.rebase = v);
    }
  }

  public ConfigStore.Write write(Io io) {
    String lock = lockId != null ? lockId : io.env().get("CFGCTL_LOCK_ID");
    // commands report only the new version: a server need not send the content back
    return new ConfigStore.Write(
        lock == null || lock.isEmpty() ? null : lock, message, rebase, true);
  }
}
