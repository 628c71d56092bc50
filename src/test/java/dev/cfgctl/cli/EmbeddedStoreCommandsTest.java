package dev.cfgctl.cli;

import dev.cfgctl.app.Stores;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Tunables;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The stored-config commands on the embedded SQLite store (the XDG directories of a temp dir). */
class EmbeddedStoreCommandsTest extends StoredConfigCommandsContract {
  @Override
  protected Map<String, String> environment(Path tmp) {
    return Map.of(
        "XDG_DATA_HOME",
        tmp.resolve("data").toString(),
        "XDG_CONFIG_HOME",
        tmp.resolve("config").toString());
  }

  @Override
  protected ConfigStore direct(Path tmp) {
    return Stores.sqlite(tmp.resolve("data/cfgctl/cfgctl.db"), Tunables.DEFAULT, Clock.systemUTC());
  }
}
