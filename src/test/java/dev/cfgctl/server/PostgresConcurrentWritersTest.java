package dev.cfgctl.server;

import dev.cfgctl.store.Databases;
import dev.cfgctl.store.jdbc.JdbcConfigStore;
import java.time.Clock;

class PostgresConcurrentWritersTest extends ConcurrentWritersContract {
  @Override
  JdbcConfigStore open(JdbcConfigStore.Options options) {
    url = Databases.freshPostgresSchema();
    return JdbcConfigStore.open(url, options, Clock.systemUTC());
  }

  private String url;

  @Override
  JdbcConfigStore openAgain(JdbcConfigStore.Options options) {
    return JdbcConfigStore.open(url, options, Clock.systemUTC());
  }
}
