package dev.cfgctl.server;

import dev.cfgctl.store.jdbc.JdbcConfigStore;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

class SqliteConcurrentWritersTest extends ConcurrentWritersContract {
  @TempDir Path dir;

  @Override
  JdbcConfigStore open(JdbcConfigStore.Options options) {
    return JdbcConfigStore.sqlite(dir.resolve("cfgctl.db"), options, Clock.systemUTC());
  }

  @Override
  JdbcConfigStore openAgain(JdbcConfigStore.Options options) {
    return open(options);
  }
}
