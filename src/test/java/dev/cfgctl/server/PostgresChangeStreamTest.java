package dev.cfgctl.server;

import dev.cfgctl.app.ConfigService;
import dev.cfgctl.app.Stores;
import dev.cfgctl.store.Databases;
import dev.cfgctl.store.Tunables;
import org.junit.jupiter.api.Tag;

@Tag("slow") // the SQLite run of the same contract is in the mvn test loop
class PostgresChangeStreamTest extends ChangeStreamContract {
  private String url;

  @Override
  ConfigService open(Tunables options) {
    url = Databases.freshPostgresSchema();
    return Stores.open(url, options, clock);
  }

  @Override
  ConfigService openAgain(Tunables options) {
    return Stores.open(url, options, clock);
  }

  @Override
  String jdbcUrl() {
    return url;
  }
}
