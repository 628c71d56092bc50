package dev.cfgctl.cli;

import dev.cfgctl.app.ConfigService;
import dev.cfgctl.app.Stores;
import dev.cfgctl.client.HttpConfigStore;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Tunables;
import dev.cfgctl.store.jdbc.JdbcConfigRepository;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Opens the stores commands work on. The composition root ({@link Io}) hands one to every command,
 * so the choice of implementation is made in one place. Implementations are thread-safe.
 */
public interface StoreOpener {
  /**
   * The real stores: the config service over JDBC (SQLite, PostgreSQL), the config API over okhttp.
   */
  StoreOpener DEFAULT =
      new StoreOpener() {
        @Override
        public ConfigService jdbc(String jdbcUrl, Tunables options, Clock clock) {
          return Stores.open(jdbcUrl, options, clock);
        }

        @Override
        public JdbcConfigRepository repository(String jdbcUrl, Tunables options, Clock clock) {
          return JdbcConfigRepository.open(jdbcUrl, options, clock);
        }

        @Override
        public ConfigStore http(String url, String token, Path caFile) {
          HttpConfigStore.Options options = HttpConfigStore.Options.DEFAULT;
          return new HttpConfigStore(
              url, token, caFile == null ? options : options.withCaFile(caFile));
        }
      };

  /** The config service on a database: {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://…}. */
  ConfigService jdbc(String jdbcUrl, Tunables options, Clock clock);

  /** The rows beneath the service, for the store's own tools (backup, copy). */
  JdbcConfigRepository repository(String jdbcUrl, Tunables options, Clock clock);

  /**
   * The config API at {@code url} as {@code token}, trusting {@code caFile}'s CAs (null: the
   * JDK's).
   */
  ConfigStore http(String url, String token, Path caFile);
}
