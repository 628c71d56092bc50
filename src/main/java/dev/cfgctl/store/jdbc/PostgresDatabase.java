package dev.cfgctl.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The shared store: PostgreSQL through a HikariCP pool. Several servers may use one database; writes
 * to one config are serialized by a transaction-scoped advisory lock on the config's key, and
 * concurrent commits share WAL flushes (PostgreSQL's own group commit).
 */
final class PostgresDatabase extends Database {
  private final HikariDataSource pool;

  PostgresDatabase(String jdbcUrl, int poolSize) {
    super(Dialect.POSTGRESQL);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("cfgctl");
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(-1);
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException(Problem.UNAVAILABLE, "cannot connect to " + jdbcUrl + ": " + e.getMessage());
    }
    write("schema", c -> {
      Migrations.apply(c, dialect);
      return null;
    });
  }

  @Override
  <T> T write(String key, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try {
          try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            s.setString(1, key);
            s.execute();
          }
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException | Error e) {
          c.rollback();
          throw e;
        }
      } catch (SQLException e) {
        // serialization failures and deadlocks are safe to retry: nothing was committed
        if (attempt < 5 && e.getSQLState() != null && e.getSQLState().startsWith("40")) continue;
        throw unavailable(e);
      }
    }
  }

  @Override
  <T> T read(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
