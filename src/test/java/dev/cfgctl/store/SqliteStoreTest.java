package dev.cfgctl.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.store.jdbc.JdbcConfigStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends ConfigStoreContract {
  @TempDir Path dir;

  @Override
  protected ConfigStore open(TestClock clock, JdbcConfigStore.Options options) {
    return JdbcConfigStore.sqlite(dir.resolve("data/cfgctl.db"), options, clock);
  }

  @Test
  void theFileIsOwnerOnly() throws Exception {
    create("{}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/cfgctl.db"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))))
        .isEqualTo("rwx------");
  }

  @Test
  void reopeningKeepsEverything() {
    create("{\"a\":1}");
    store.close();
    store = open(clock, JdbcConfigStore.Options.DEFAULT);
    assertThat(store.get(ALICE, LANDING).version()).isEqualTo(1);
  }
}
