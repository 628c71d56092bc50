package dev.cfgctl.cli;

import dev.cfgctl.client.HttpConfigStore;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.jdbc.JdbcConfigStore;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Opens the stores commands work on. The composition root ({@link Io}) hands one to every command,
 * so the choice of implementation is made in one place. Implementations are thread-safe.
 */
public interface Stores {
  /** The real stores: JDBC (SQLite, PostgreSQL) and the config API over okhttp. */
  Stores DEFAULT = new Stores() {
    @Override
    public JdbcConfigStore jdbc(String jdbcUrl, JdbcConfigStore.Options options, Clock clock) {
      return JdbcConfigStore.open(jdbcUrl, options, clock);
    }

    @Override
    public ConfigStore http(String url, String token, Path caFile) {
      HttpConfigStore.Options options = HttpConfigStore.Options.DEFAULT;
      return new HttpConfigStore(url, token, caFile == null ? options : options.withCaFile(caFile));
    }
  };

  /** A store in a database: {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://…}. */
  JdbcConfigStore jdbc(String jdbcUrl, JdbcConfigStore.Options options, Clock clock);

  /** The config API at {@code url} as {@code token}, trusting {@code caFile}'s CAs (null: the JDK's). */
  ConfigStore http(String url, String token, Path caFile);
}
