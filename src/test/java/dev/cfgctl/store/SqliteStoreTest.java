package dev.cfgctl.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.app.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends ConfigStoreContract {
  @TempDir Path dir;

  @Override
  protected ConfigStore open(TestClock clock, Tunables options) {
    return Stores.sqlite(dir.resolve("data/cfgctl.db"), options, clock);
  }

  @Override
  protected ConfigStore second(TestClock clock, Tunables options) {
    return open(clock, options);
  }

  @Test
  void theFileIsOwnerOnly() throws Exception {
    create("{}");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("data/cfgctl.db"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))))
        .isEqualTo("rwx------");
  }

  @Test
  void twoStoresOnOneFileTakeTurnsWriting() {
    // as a command on the embedded store next to a server on the same data directory: the idle
    // writer of one must not keep the other from writing
    create("{\"a\":0}");
    try (ConfigStore other = open(clock, Tunables.DEFAULT)) {
      for (int i = 1; i <= 3; i++) {
        ConfigStore s = i % 2 == 0 ? store : other;
        s.patch(
            ALICE,
            LANDING,
            patch("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":" + i + "}]"),
            (long) i,
            ConfigStore.Write.PLAIN);
      }
      assertThat(store.get(ALICE, LANDING).content().get("a").asInt()).isEqualTo(3);
      assertThat(other.get(ALICE, LANDING).version()).isEqualTo(4);
    }
  }

  @Test
  void reopeningKeepsEverything() {
    create("{\"a\":1}");
    store.close();
    store = open(clock, Tunables.DEFAULT);
    assertThat(store.get(ALICE, LANDING).version()).isEqualTo(1);
  }
}
