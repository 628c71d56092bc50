package dev.cfgctl.store;

import dev.cfgctl.app.Stores;

class PostgresStoreTest extends ConfigStoreContract {
  private String url;

  @Override
  protected ConfigStore open(TestClock clock, Tunables options) {
    url = Databases.freshPostgresSchema();
    return Stores.open(url, options, clock);
  }

  @Override
  protected ConfigStore second(TestClock clock, Tunables options) {
    return Stores.open(url, options, clock);
  }
}
