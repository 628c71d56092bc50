package dev.cfgctl.store;

import dev.cfgctl.store.jdbc.JdbcConfigStore;

class PostgresStoreTest extends ConfigStoreContract {
  @Override
  protected ConfigStore open(TestClock clock, JdbcConfigStore.Options options) {
    return JdbcConfigStore.open(Databases.freshPostgresSchema(), options, clock);
  }
}
