package dev.cfgctl.server;

import dev.cfgctl.app.ConfigService;
import dev.cfgctl.app.Stores;
import dev.cfgctl.store.Databases;
import dev.cfgctl.store.Tunables;

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
