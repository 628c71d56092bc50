package dev.cfgctl.store.jdbc;

import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.sqlite.SQLiteConfig;

/**
 * The embedded store: one SQLite file in WAL mode with full sync. All writes of this process go
 * through one {@link GroupCommit} writer; other processes on the same file wait on SQLite's busy
 * timeout. Reads use a small pool of connections of their own (WAL lets them run beside the writer).
 */
final class SqliteDatabase extends Database {
  private static final int READERS = 8;

  private final String url;
  private final GroupCommit writer;
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
  private final java.util.concurrent.Semaphore unopened = new java.util.concurrent.Semaphore(READERS);
  private final List<Connection> all = new ArrayList<>();
  private volatile boolean closed;

  SqliteDatabase(Path file) {
    super(Dialect.SQLITE);
    this.url = "jdbc:sqlite:" + file;
    try {
      createOwnerOnly(file);
      Connection c = openWriter();
      Migrations.apply(c, dialect);
      c.commit();
      writer = new GroupCommit("cfgctl-sqlite-writer", c, this::openWriter, (w, keys) -> { });
    } catch (SQLException e) {
      throw new StoreException(Problem.UNAVAILABLE,
          "cannot open the store " + file + ": " + e.getMessage());
    }
  }

  private static void createOwnerOnly(Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        Files.createDirectories(dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      if (!Files.exists(file)) {
        Files.createFile(file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: SQLite creates the file with the platform's defaults
    } catch (IOException e) {
      throw new StoreException(Problem.UNAVAILABLE, "cannot create the store " + file + ": " + e);
    }
  }

  private Connection openWriter() throws SQLException {
    Connection c = open(true);
    c.setAutoCommit(false);
    return c;
  }

  private Connection open(boolean forWriting) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(10_000);
    if (forWriting) config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    Connection c = config.createConnection(url);
    synchronized (all) {
      all.add(c);
    }
    return c;
  }

  @Override
  <T> T write(String key, Work<T> work) {
    return writer.write(key, work);
  }

  @Override
  <T> T read(Work<T> work) {
    if (closed) throw new StoreException(Problem.UNAVAILABLE, "the store is closed");
    Connection c = null;
    try {
      c = readers.poll();
      if (c == null) c = unopened.tryAcquire() ? open(false) : readers.take();
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
