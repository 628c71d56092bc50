package dev.cfgctl.server;

import dev.cfgctl.app.ConfigService;
import dev.cfgctl.app.Stores;
import dev.cfgctl.store.Tunables;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteChangeStreamTest extends ChangeStreamContract {
  @TempDir Path dir;

  @Override
  ConfigService open(Tunables options) {
    return Stores.sqlite(dir.resolve("cfgctl.db"), options, clock);
  }

  @Override
  ConfigService openAgain(Tunables options) {
    return Stores.sqlite(dir.resolve("cfgctl.db"), options, clock);
  }

  @Override
  String jdbcUrl() {
    return "jdbc:sqlite:" + dir.resolve("cfgctl.db");
  }
}
