package dev.cfgctl.store.jdbc;

import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One writer thread that commits whatever writes are waiting as one transaction, each write in its
 * own savepoint: concurrent writers share one commit (one fsync), a refused write rolls back only
 * its savepoint, and nothing is acknowledged before its commit is durable. {@link #close} lets the
 * writes already queued finish.
 */
final class GroupCommit {
  private static final int MAX_BATCH = 256;

  /** Opens the writer's connection (auto-commit off), again after a failure. */
  interface Connector {
    Connection open() throws SQLException;
  }

  /**
   * Runs at the start of each batch's transaction with the keys of its writes (e.g. to lock them).
   */
  interface BatchStart {
    void begin(Connection c, List<String> keys) throws SQLException;
  }

  /**
   * A write waiting for the writer. {@code taken} is set once, by the writer about to run it or by
   * its caller giving up on it, so a write is either run or abandoned, never both.
   */
  private record Task<T>(
      String key,
      Database.Work<T> work,
      CompletableFuture<T> result,
      long deadline,
      AtomicBoolean taken) {
    boolean take() {
      return taken.compareAndSet(false, true);
    }
  }

  private record Failed(Throwable error) {}

  private static final Task<Void> STOP = new Task<>(null, null, null, 0, new AtomicBoolean());

  private final Connector connector;
  private final BatchStart start;
  private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private Connection connection;
  private volatile boolean closed;

  GroupCommit(String name, Connection first, Connector connector, BatchStart start) {
    this.connection = first;
    this.connector = connector;
    this.start = start;
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** See {@link Database#write(String, long, Database.Work)}. */
  <T> T write(String key, long deadline, Database.Work<T> work) {
    if (closed) throw new StoreException(Problem.UNAVAILABLE, "the store is closed");
    Task<T> task = new Task<>(key, work, new CompletableFuture<>(), deadline, new AtomicBoolean());
    queue.add(task);
    try {
      if (deadline == 0) return task.result.get();
      try {
        return task.result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        if (task.take()) throw Database.abandoned(); // the writer will skip it
        return task.result.get(); // running: it checks the deadline itself
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(Problem.UNAVAILABLE, "interrupted while writing");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(e.getCause());
    }
  }

  private void loop() {
    List<Task<?>> batch = new ArrayList<>();
    while (true) {
      try {
        Task<?> first = queue.take();
        if (first == STOP) return;
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        boolean stop = batch.remove(STOP);
        run(batch);
        if (stop) return;
      } catch (InterruptedException e) {
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void run(List<Task<?>> batch) {
    long now = System.nanoTime();
    batch.removeIf(
        t -> {
          if (!t.take()) return true; // its caller gave up on it
          if (t.deadline == 0 || t.deadline - now > 0) return false;
          t.result.completeExceptionally(Database.abandoned());
          return true;
        });
    if (batch.isEmpty()) return;
    List<Object> results = new ArrayList<>(batch.size());
    try {
      if (connection == null) connection = connector.open();
      List<String> keys = new ArrayList<>();
      for (Task<?> t : batch) keys.add(t.key);
      start.begin(connection, keys);
      if (batch.size()
          == 1) { // alone in its transaction: no savepoint needed (two round trips less)
        try {
          results.add(batch.get(0).work.run(connection));
          connection.commit();
        } catch (SQLException e) {
          throw e;
        } catch (Throwable e) {
          connection.rollback();
          results.add(new Failed(e));
        }
        complete(batch.get(0), results.get(0));
        return;
      }
      try (Statement s = connection.createStatement()) {
        for (Task<?> t : batch) {
          s.execute("SAVEPOINT w");
          try {
            results.add(t.work.run(connection));
            s.execute("RELEASE SAVEPOINT w");
          } catch (Throwable e) {
            s.execute("ROLLBACK TO SAVEPOINT w");
            s.execute("RELEASE SAVEPOINT w");
            results.add(new Failed(e instanceof SQLException q ? Database.unavailable(q) : e));
          }
        }
      }
      connection.commit();
    } catch (SQLException e) {
      try {
        if (connection != null) connection.rollback();
      } catch (SQLException ignored) {
        // the connection is broken: open a new one for the next batch
        closeQuietly(connection);
        connection = null;
      }
      for (Task<?> t : batch) t.result.completeExceptionally(Database.unavailable(e));
      return;
    }
    for (int i = 0; i < batch.size(); i++) complete(batch.get(i), results.get(i));
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Task<T> t, Object result) {
    if (result instanceof Failed f) t.result.completeExceptionally(f.error);
    else t.result.complete((T) result);
  }

  void close() {
    if (closed) return;
    closed = true;
    queue.add(STOP);
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(connection);
  }

  static void closeQuietly(Connection c) {
    try {
      if (c != null) c.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }
}
