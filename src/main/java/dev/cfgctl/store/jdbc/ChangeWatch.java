package dev.cfgctl.store.jdbc;

import dev.cfgctl.store.ChangeListener;
import dev.cfgctl.store.ConfigRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Tells listeners of changes to configs: of this process's writes at once ({@link #changed}), and
 * of other processes' and servers' from a thread of its own, started with the first listener. On
 * PostgreSQL each write's transaction sends a {@code NOTIFY} naming its config (delivered on
 * commit) and the thread {@code LISTEN}s; SQLite has no notifications, so the thread polls {@code
 * PRAGMA data_version}, which changes with every commit of another connection. After every
 * (re)connection, and every few seconds besides, listeners hear {@link ChangeListener#anyChanged}:
 * a notice missed while the connection was down loses nothing.
 */
final class ChangeWatch implements AutoCloseable {
  private static final String CHANNEL = "cfgctl_changes";
  private static final long SQLITE_POLL_MILLIS = 15;
  private static final long RESYNC_MILLIS = 5_000;

  private final Database db;
  private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  private Thread thread;
  private volatile boolean closed;

  ChangeWatch(Database db) {
    this.db = db;
  }

  /** Inside a write's transaction on PostgreSQL: the other servers hear of it on commit. */
  static void notify(Connection c, ConfigRef ref) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      s.setString(1, CHANNEL);
      s.setString(2, ref.toString());
      s.execute();
    }
  }

  synchronized void add(ChangeListener listener) {
    listeners.add(listener);
    if (thread == null && !closed) {
      thread = new Thread(this::run, "cfgctl-change-watch");
      thread.setDaemon(true);
      thread.start();
    }
  }

  void remove(ChangeListener listener) {
    listeners.remove(listener);
  }

  /** A write of this process to {@code ref} committed (or failed: listeners read and see). */
  void changed(ConfigRef ref) {
    for (ChangeListener l : listeners) l.changed(ref);
  }

  private void anyChanged() {
    for (ChangeListener l : listeners) l.anyChanged();
  }

  private void run() {
    long backoff = 100;
    while (!closed) {
      try (Connection c = db.openWatcher()) {
        if (db.dialect == Dialect.POSTGRESQL) listen(c);
        else poll(c);
      } catch (SQLException | RuntimeException e) {
        if (closed) return;
        sleep(backoff);
        backoff = Math.min(2_000, backoff * 2);
      }
    }
  }

  private void listen(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("LISTEN " + CHANNEL);
    }
    anyChanged(); // whatever happened while not listening
    PGConnection pg = c.unwrap(PGConnection.class);
    long resync = System.currentTimeMillis() + RESYNC_MILLIS;
    while (!closed) {
      PGNotification[] notices = pg.getNotifications(250);
      if (notices != null) {
        for (PGNotification n : notices) {
          String[] ref = n.getParameter().split("/", 2);
          if (ref.length == 2) changed(new ConfigRef(ref[0], ref[1]));
        }
      }
      if (System.currentTimeMillis() >= resync) {
        anyChanged();
        resync = System.currentTimeMillis() + RESYNC_MILLIS;
      }
    }
  }

  private void poll(Connection c) throws SQLException {
    anyChanged();
    long seen = dataVersion(c);
    while (!closed) {
      sleep(SQLITE_POLL_MILLIS);
      long now = dataVersion(c);
      if (now != seen) {
        seen = now;
        anyChanged();
      }
    }
  }

  private static long dataVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA data_version")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
