package dev.cfgctl.server;

import dev.cfgctl.app.ConfigService;
import dev.cfgctl.app.Stores;
import dev.cfgctl.store.Tunables;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

class SqliteConcurrentWritersTest extends ConcurrentWritersContract {
  @TempDir Path dir;

  @Override
  ConfigService open(Tunables options) {
    return Stores.sqlite(dir.resolve("cfgctl.db"), options, Clock.systemUTC());
  }

  @Override
  ConfigService openAgain(Tunables options) {
    return open(options);
  }
}
