package dev.cfgctl.store.jdbc;

import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Refusals;
import dev.cfgctl.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the store's tables live and how transactions run on them. Writes to one config are
 * serialized (SQLite: one writer; PostgreSQL: a transaction-scoped advisory lock per config), so a
 * write's reads, checks and updates see one consistent state; the version check is still a
 * conditional update.
 */
abstract class Database implements AutoCloseable {
  /** Work inside a transaction; a {@link StoreException} rolls it back and reaches the caller. */
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  final Dialect dialect;

  Database(Dialect dialect) {
    this.dialect = dialect;
  }

  /** Runs {@code work} as one transaction, serialized with every other write to {@code key}. */
  final <T> T write(String key, Work<T> work) {
    return write(key, 0, work);
  }

  /**
   * As {@link #write(String, Work)}, given up when it has not started by {@code deadline} (a {@link
   * System#nanoTime} value; 0 for never): then it never runs and the caller gets {@link
   * #abandoned}. Once started, the work itself is to check the deadline.
   */
  abstract <T> T write(String key, long deadline, Work<T> work);

  /** Runs {@code work} on a read-only view (auto-commit). */
  abstract <T> T read(Work<T> work);

  /**
   * Runs {@code work} in a read-only transaction: all its queries see one committed state of the
   * database, whatever is written meanwhile, and it blocks no writer.
   */
  abstract <T> T snapshot(Work<T> work);

  /**
   * A connection of its own, outside any pool, for hearing of other connections' commits ({@link
   * ChangeWatch}); the caller closes it.
   */
  abstract Connection openWatcher() throws SQLException;

  @Override
  public abstract void close();

  static StoreException unavailable(SQLException e) {
    return new StoreException(
        Problem.UNAVAILABLE, "the database failed: " + Secrets.redact(e.getMessage()));
  }

  /** The refusal of a write that ran past its deadline; nothing of it was stored. */
  static StoreException abandoned() {
    return Refusals.abandoned();
  }
}
