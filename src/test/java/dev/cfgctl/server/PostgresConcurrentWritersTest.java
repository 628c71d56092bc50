package dev.cfgctl.server;

import dev.cfgctl.store.Databases;
import dev.cfgctl.store.jdbc.JdbcConfigStore;
import java.time.Clock;

class PostgresConcurrentWritersTest extends ConcurrentWritersContract {
  @Override
  JdbcConfigStore open(JdbcConfigStore.Options options) {
    return JdbcConfigStore.open(Databases.freshPostgresSchema(), options, Clock.systemUTC());
  }
}
