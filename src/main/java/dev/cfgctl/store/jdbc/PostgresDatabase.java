package dev.cfgctl.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * The shared store: PostgreSQL through a HikariCP pool. Several servers may use one database. Each
 * server's writes go through {@link #WRITERS} {@link GroupCommit} writers, a config always to the
 * same one (concurrent writes to it share a commit; writes to other configs proceed on the other
 * writers' connections instead of waiting behind its round trips); each batch takes a
 * transaction-scoped advisory lock per config it writes, so writes to one config are serialized
 * across servers too.
 */
final class PostgresDatabase extends Database {
  private static final int WRITERS = 4;

  private final String jdbcUrl;
  private final HikariDataSource pool;
  private final List<GroupCommit> writers = new ArrayList<>();

  PostgresDatabase(String jdbcUrl, int poolSize) {
    super(Dialect.POSTGRESQL);
    this.jdbcUrl = jdbcUrl;
    connectOnce(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("cfgctl");
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(-1);
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException(
          Problem.UNAVAILABLE,
          "cannot connect to " + Secrets.redact(jdbcUrl) + ": " + Secrets.redact(e.getMessage()));
    }
    try {
      Connection c = openWriter();
      lockKeys(c, List.of("schema")); // servers starting together migrate one at a time
      Migrations.apply(c, dialect);
      c.commit();
      for (int i = 0; i < WRITERS; i++) {
        writers.add(
            new GroupCommit(
                "cfgctl-postgres-writer-" + i,
                i == 0 ? c : openWriter(),
                this::openWriter,
                PostgresDatabase::lockKeys));
      }
    } catch (SQLException e) {
      writers.forEach(GroupCommit::close);
      pool.close();
      throw new StoreException(
          Problem.UNAVAILABLE,
          "cannot use " + Secrets.redact(jdbcUrl) + ": " + Secrets.redact(e.getMessage()));
    }
  }

  /**
   * One plain connection before the pool: a malformed URL is refused as such, and a database that
   * is down fails at once with its cause ("connection refused"), where the pool would wait for its
   * connection timeout and then report only that it timed out.
   */
  private static void connectOnce(String jdbcUrl) {
    if (Driver.parseURL(jdbcUrl, null) == null) {
      throw new StoreException(
          Problem.INVALID_REQUEST,
          "malformed database URL "
              + Secrets.redact(jdbcUrl)
              + " (expected jdbc:postgresql://HOST[:PORT]/DATABASE[?user=…], a port from 1 to 65535)");
    }
    try {
      new Driver().connect(jdbcUrl, new Properties()).close(); // it can be reached, and lets us in
    } catch (SQLException e) {
      // the cause in brackets: after a redacted password= a colon would be taken for part of it
      throw new StoreException(
          Problem.UNAVAILABLE,
          "cannot connect to the database at " + Secrets.redact(jdbcUrl) + " (" + cause(e) + ")");
    }
  }

  /** What went wrong, in the words of the innermost network failure, else the driver's. */
  private static String cause(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) return "unknown host " + t.getMessage();
      if (t instanceof SocketTimeoutException) return "timed out";
      if (t instanceof SocketException && t.getMessage() != null) {
        return t.getMessage().toLowerCase(Locale.ROOT); // "connection refused", "no route to host"
      }
    }
    return Secrets.redact(e.getMessage());
  }

  @Override
  <T> T write(String key, long deadline, Work<T> work) {
    return writers.get(Math.floorMod(key.hashCode(), WRITERS)).write(key, deadline, work);
  }

  /**
   * Locks the batch's configs in one round trip, in one order for every writer of every server (by
   * the lock's number, so that two keys sharing a number cannot deadlock either), so that batches
   * on the same configs serialize without deadlocking.
   */
  private static void lockKeys(Connection c, List<String> keys) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT count(pg_advisory_xact_lock(h)) FROM"
                + " (SELECT DISTINCT hashtext(k) AS h FROM unnest(?::text[]) AS k ORDER BY h) AS ordered")) {
      s.setArray(1, c.createArrayOf("text", keys.toArray()));
      s.execute();
    }
  }

  @Override
  Connection openWatcher() throws SQLException {
    return new Driver().connect(jdbcUrl, new Properties());
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

  /**
   * A read-only, repeatable-read transaction. Set by a statement of the transaction rather than on
   * the connection: that costs one round trip instead of three, and none for the pool to reset.
   */
  @Override
  <T> T snapshot(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      }
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (RuntimeException | SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  @Override
  public void close() {
    writers.forEach(GroupCommit::close);
    pool.close();
  }
}
