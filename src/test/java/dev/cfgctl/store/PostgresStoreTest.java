package dev.cfgctl.store;

import dev.cfgctl.store.jdbc.JdbcConfigStore;

class PostgresStoreTest extends ConfigStoreContract {
  private String url;

  @Override
  protected ConfigStore open(TestClock clock, JdbcConfigStore.Options options) {
    url = Databases.freshPostgresSchema();
    return JdbcConfigStore.open(url, options, clock);
  }

  @Override
  protected ConfigStore second(TestClock clock, JdbcConfigStore.Options options) {
    return JdbcConfigStore.open(url, options, clock);
  }
}
