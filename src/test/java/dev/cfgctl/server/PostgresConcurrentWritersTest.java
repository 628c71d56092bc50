package dev.cfgctl.server;

import dev.cfgctl.app.ConfigService;
import dev.cfgctl.app.Stores;
import dev.cfgctl.store.Databases;
import dev.cfgctl.store.Tunables;
import java.time.Clock;

class PostgresConcurrentWritersTest extends ConcurrentWritersContract {
  @Override
  ConfigService open(Tunables options) {
    url = Databases.freshPostgresSchema();
    return Stores.open(url, options, Clock.systemUTC());
  }

  private String url;

  @Override
  ConfigService openAgain(Tunables options) {
    return Stores.open(url, options, Clock.systemUTC());
  }
}
