package dev.cfgctl.store.jdbc;

import dev.cfgctl.store.PrivateFiles;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.sqlite.SQLiteConfig;

/**
 * The embedded store: one SQLite file in WAL mode with full sync. All writes of this process go
 * through one {@link GroupCommit} writer; other processes on the same file wait on SQLite's busy
 * timeout. Reads use a small pool of connections of their own (WAL lets them run beside the
 * writer).
 */
final class SqliteDatabase extends Database {
  private static final int READERS = 8;

  private final String url;
  private final GroupCommit writer;
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
  private final java.util.concurrent.Semaphore unopened =
      new java.util.concurrent.Semaphore(READERS);
  private final List<Connection> all = new ArrayList<>();
  private volatile boolean closed;

  SqliteDatabase(Path file) {
    super(Dialect.SQLITE);
    this.url = "jdbc:sqlite:" + file;
    NativeLibrary.useCached();
    try {
      createOwnerOnly(file);
      Connection c = openWriter();
      begin(c, List.of());
      Migrations.apply(c, dialect);
      c.commit();
      writer = new GroupCommit("cfgctl-sqlite-writer", c, this::openWriter, SqliteDatabase::begin);
    } catch (SQLException e) {
      throw new StoreException(
          Problem.UNAVAILABLE, "cannot open the store " + file + ": " + e.getMessage());
    }
  }

  @Override
  Connection openWatcher() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(10_000);
    return config.createConnection(url);
  }

  private static void createOwnerOnly(Path file) {
    try {
      PrivateFiles.create(file);
    } catch (IOException e) {
      throw new StoreException(Problem.UNAVAILABLE, "cannot create the store " + file + ": " + e);
    }
  }

  /**
   * The writer's connection. It stays in auto-commit mode underneath, each batch opening its own
   * {@code BEGIN IMMEDIATE} ({@link #begin}): with auto-commit off, sqlite-jdbc begins the next
   * transaction right after every commit, and an immediate one holds the database's write lock
   * while the writer idles, so that no other process (a command on the same store next to a server)
   * could ever write. To the store it looks like a connection with auto-commit off.
   */
  private Connection openWriter() throws SQLException {
    Connection c = open();
    return proxy(
        Connection.class,
        c,
        (method, args) -> {
          switch (args.length == 0 ? method.getName() : "") {
            case "commit":
              execute(c, "COMMIT");
              return Boolean.TRUE;
            case "rollback":
              execute(c, "ROLLBACK");
              return Boolean.TRUE;
            case "getAutoCommit":
              return Boolean.FALSE;
            default:
              return null;
          }
        });
  }

  /**
   * Starts a batch's transaction, taking the write lock at once (waiting up to the busy timeout).
   */
  private static void begin(Connection writer, List<String> keys) throws SQLException {
    execute(writer, "BEGIN IMMEDIATE");
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private Connection open() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(10_000);
    Connection c = config.createConnection(url);
    synchronized (all) {
      all.add(c);
    }
    return reusingStatements(c);
  }

  /**
   * The connection with its prepared statements kept for reuse: sqlite-jdbc compiles the SQL again
   * on every {@code prepareStatement}, which was an eighth of the server's CPU time under load. A
   * statement in use is taken out of the pool, so nested uses of the same SQL get statements of
   * their own; closing one closes its result set (ending its read) and puts it back. A connection
   * is used by one thread at a time.
   */
  private static Connection reusingStatements(Connection c) {
    Map<String, PreparedStatement> idle = new HashMap<>();
    return proxy(
        Connection.class,
        c,
        (method, args) -> {
          if (!method.getName().equals("prepareStatement") || args.length != 1) return null;
          String sql = (String) args[0];
          PreparedStatement pooled = idle.remove(sql);
          PreparedStatement s =
              pooled == null || pooled.isClosed() ? c.prepareStatement(sql) : pooled;
          ResultSet[] open = new ResultSet[1];
          boolean[] closed = new boolean[1];
          return proxy(
              PreparedStatement.class,
              s,
              (m, a) -> {
                switch (a.length == 0 ? m.getName() : "") {
                  case "executeQuery":
                    open[0] = s.executeQuery();
                    return open[0];
                  case "close":
                    if (closed[0]) return Boolean.TRUE;
                    closed[0] = true;
                    if (open[0] != null) open[0].close();
                    s.clearParameters();
                    if (idle.putIfAbsent(sql, s) != null) s.close();
                    return Boolean.TRUE; // handled
                  default:
                    return null;
                }
              });
        });
  }

  /** Handles a call, or returns null to pass it to the target. */
  private interface Intercept {
    Object call(Method method, Object[] args) throws Exception;
  }

  private static <T> T proxy(Class<T> type, T target, Intercept override) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (p, method, args) -> {
              Object handled = override.call(method, args == null ? new Object[0] : args);
              if (handled != null) return method.getReturnType() == void.class ? null : handled;
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }));
  }

  @Override
  <T> T write(String key, long deadline, Work<T> work) {
    return writer.write(key, deadline, work);
  }

  @Override
  <T> T read(Work<T> work) {
    if (closed) throw new StoreException(Problem.UNAVAILABLE, "the store is closed");
    Connection c = null;
    try {
      c = readers.poll();
      if (c == null) c = unopened.tryAcquire() ? open() : readers.take();
      return work.run(c);
    } catch (SQLException e) {
      throw unavailable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(Problem.UNAVAILABLE, "interrupted while reading");
    } finally {
      if (c != null) readers.add(c);
    }
  }

  /**
   * A deferred transaction on a reader connection: its first query starts a read transaction, whose
   * snapshot of the WAL lasts until the commit. It never takes the write lock.
   */
  @Override
  <T> T snapshot(Work<T> work) {
    return read(
        c -> {
          execute(c, "BEGIN");
          boolean done = false;
          try {
            T result = work.run(c);
            done = true;
            return result;
          } finally {
            execute(c, done ? "COMMIT" : "ROLLBACK");
          }
        });
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    writer.close();
    synchronized (all) {
      all.forEach(GroupCommit::closeQuietly);
    }
  }
}
