package dev.cfgctl.store.jdbc;

import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.sqlite.SQLiteConfig;

/**
 * The embedded store: one SQLite file in WAL mode with full sync. All writes of this process go
 * through one writer thread, which commits whatever writes are waiting as one transaction, each write
 * in its own savepoint: concurrent writers share one fsync (group commit), a refused write rolls back
 * only its savepoint, and nothing is acknowledged before its commit is durable. Other processes on the
 * same file wait on SQLite's busy timeout.
 */
final class SqliteDatabase extends Database {
  private static final int MAX_BATCH = 256;
  private static final int READERS = 8;

  private record Task<T>(Work<T> work, CompletableFuture<T> result) {}

  private final String url;
  private final Connection writer;
  private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
  private final java.util.concurrent.Semaphore unopened = new java.util.concurrent.Semaphore(READERS);
  private final List<Connection> all = new ArrayList<>();
  private final Thread writerThread;
  private volatile boolean closed;

  SqliteDatabase(Path file) {
    super(Dialect.SQLITE);
    this.url = "jdbc:sqlite:" + file;
    try {
      createOwnerOnly(file);
      writer = open(true);
      writer.setAutoCommit(false);
      Migrations.apply(writer, dialect);
      writer.commit();
    } catch (SQLException e) {
      throw new StoreException(Problem.UNAVAILABLE,
          "cannot open the store " + file + ": " + e.getMessage());
    }
    writerThread = new Thread(this::writeLoop, "cfgctl-sqlite-writer");
    writerThread.setDaemon(true);
    writerThread.start();
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
  @SuppressWarnings("unchecked")
  <T> T write(String key, Work<T> work) {
    if (closed) throw new StoreException(Problem.UNAVAILABLE, "the store is closed");
    Task<T> task = new Task<>(work, new CompletableFuture<>());
    queue.add(task);
    try {
      return task.result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(Problem.UNAVAILABLE, "interrupted while writing");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(e.getCause());
    }
  }

  private void writeLoop() {
    List<Task<?>> batch = new ArrayList<>();
    while (true) {
      try {
        Task<?> first = queue.take();
        if (first.work == null) return; // close() asked to stop
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        runBatch(batch);
      } catch (InterruptedException e) {
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void runBatch(List<Task<?>> batch) {
    List<Object> results = new ArrayList<>(batch.size());
    boolean stop = false;
    try (Statement s = writer.createStatement()) {
      for (Task<?> t : batch) {
        if (t.work == null) {
          stop = true;
          results.add(null);
          continue;
        }
        s.execute("SAVEPOINT w");
        try {
          results.add(t.work.run(writer));
          s.execute("RELEASE w");
        } catch (Throwable e) {
          s.execute("ROLLBACK TO w");
          s.execute("RELEASE w");
          results.add(new Failed(e instanceof SQLException q ? unavailable(q) : e));
        }
      }
      writer.commit();
    } catch (SQLException e) {
      try {
        writer.rollback();
      } catch (SQLException ignored) {
        // the connection is broken; every task of the batch fails below
      }
      for (Task<?> t : batch) if (t.work != null) t.result.completeExceptionally(unavailable(e));
      if (stop) queue.add(new Task<>(null, null));
      return;
    }
    for (int i = 0; i < batch.size(); i++) complete(batch.get(i), results.get(i));
    if (stop) queue.add(new Task<>(null, null));
  }

  private record Failed(Throwable error) {}

  @SuppressWarnings("unchecked")
  private static <T> void complete(Task<T> t, Object result) {
    if (t.work == null) return;
    if (result instanceof Failed f) t.result.completeExceptionally(f.error);
    else t.result.complete((T) result);
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
    queue.add(new Task<>(null, null));
    try {
      writerThread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (all) {
      all.forEach(SqliteDatabase::closeQuietly);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }
}
