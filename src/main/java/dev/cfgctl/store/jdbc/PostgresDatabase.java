package dev.cfgctl.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.TreeSet;

/**
 * The shared store: PostgreSQL through a HikariCP pool. Several servers may use one database. Each
 * server's writes go through one {@link GroupCommit} writer (concurrent writes share a commit); each
 * batch takes a transaction-scoped advisory lock per config it writes, so writes to one config are
 * serialized across servers too.
 */
final class PostgresDatabase extends Database {
  private final HikariDataSource pool;
  private final GroupCommit writer;

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
    try {
      Connection c = openWriter();
      lockKeys(c, List.of("schema")); // servers starting together migrate one at a time
      Migrations.apply(c, dialect);
      c.commit();
      writer = new GroupCommit("cfgctl-postgres-writer", c, this::openWriter,
          PostgresDatabase::lockKeys);
    } catch (SQLException e) {
      pool.close();
      throw new StoreException(Problem.UNAVAILABLE, "cannot use " + jdbcUrl + ": " + e.getMessage());
    }
  }

  @Override
  <T> T write(String key, Work<T> work) {
    return writer.write(key, work);
  }

  /**
   * Locks the batch's configs, in one order for every server, so that each server's batches
   * serialize with the others' on the same configs without deadlocking.
   */
  private static void lockKeys(Connection c, List<String> keys) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
      for (String key : new TreeSet<>(keys)) {
        s.setString(1, key);
        s.execute();
      }
    }
  }

  private Connection openWriter() throws SQLException {
    Connection c = pool.getConnection();
    c.setAutoCommit(false);
    return c;
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
    writer.close();
    pool.close();
  }
}
