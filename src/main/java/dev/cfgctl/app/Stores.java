package dev.cfgctl.app;

import dev.cfgctl.store.Tunables;
import dev.cfgctl.store.jdbc.JdbcConfigRepository;
import java.nio.file.Path;
import java.time.Clock;

/** Opens the config stores of this program: a {@link ConfigService} over a database. */
public final class Stores {
  private Stores() {}

  /** The embedded store in one SQLite file, created owner-only if missing. */
  public static ConfigService sqlite(Path file, Tunables options, Clock clock) {
    return over(JdbcConfigRepository.sqlite(file, options, clock), options, clock);
  }

  /** A store on PostgreSQL ({@code jdbc:postgresql://…}) or SQLite ({@code jdbc:sqlite:FILE}). */
  public static ConfigService open(String jdbcUrl, Tunables options, Clock clock) {
    return over(JdbcConfigRepository.open(jdbcUrl, options, clock), options, clock);
  }

  /** The store over a repository opened already, with the options it was opened with. */
  public static ConfigService over(JdbcConfigRepository repository, Tunables options, Clock clock) {
    return new ConfigService(repository, options, clock);
  }
}
