package dev.cfgctl.store.jdbc;

import dev.cfgctl.store.ChangeListener;
import dev.cfgctl.store.ConfigRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Tells listeners of changes to configs (content, locks, presence): of this process's writes at
 * once ({@link #changed}), and of other processes' and servers' from a thread of its own, started
 * with the first listener. Each write's transaction leaves a notice naming its config ({@link
 * #notify}): on PostgreSQL a {@code NOTIFY}, delivered on commit, which the thread {@code LISTEN}s
 * for; SQLite has no notifications, so the notice is a row of the table {@code changes}, which the
 * thread reads whenever {@code PRAGMA data_version} (polled) says another connection committed.
 * After every (re)connection listeners hear {@link ChangeListener#anyChanged}, and on PostgreSQL
 * every few seconds besides: a notice missed while the connection was down loses nothing.
 */
final class ChangeWatch implements AutoCloseable {
  private static final String CHANNEL = "cfgctl_changes";

  /** The notice of a token revocation (no config name has it). */
  private static final String TOKENS = "*tokens";

  private static final long SQLITE_POLL_MILLIS = 15;
  private static final long RESYNC_MILLIS = 5_000;

  private final Database db;
  private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> tokenListeners = new CopyOnWriteArrayList<>();
  private Thread thread;
  private volatile boolean closed;

  ChangeWatch(Database db) {
    this.db = db;
  }

  /** Inside a token revocation's transaction: the other servers forget the tokens they know. */
  static void notifyTokens(Connection c, Dialect dialect) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            dialect == Dialect.POSTGRESQL
                ? "SELECT pg_notify('" + CHANNEL + "', '" + TOKENS + "')"
                : "INSERT INTO changes (tenant, name) VALUES ('" + TOKENS + "', '')")) {
      s.execute();
    }
  }

  /** Change rows SQLite keeps, at least: a reader further behind than that reads everything. */
  private static final long KEPT = 1_000;

  /** Inside a write's transaction: the other processes and servers hear of it once it commits. */
  static void notify(Connection c, Dialect dialect, ConfigRef ref) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
        s.setString(1, CHANNEL);
        s.setString(2, ref.toString());
        s.execute();
      }
      return;
    }
    long seq;
    try (PreparedStatement s =
        c.prepareStatement("INSERT INTO changes (tenant, name) VALUES (?, ?) RETURNING seq")) {
      s.setString(1, ref.tenant());
      s.setString(2, ref.name());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        seq = rs.getLong(1);
      }
    }
    if (seq % KEPT == 0) {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM changes WHERE seq <= ?")) {
        s.setLong(1, seq - KEPT);
        s.execute();
      }
    }
  }

  synchronized void add(ChangeListener listener) {
    listeners.add(listener);
    start();
  }

  private synchronized void start() {
    if (thread == null && !closed) {
      thread = new Thread(this::run, "cfgctl-change-watch");
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** {@code listener} runs when a token may have been revoked by another process or server. */
  void onTokens(Runnable listener) {
    tokenListeners.add(listener);
  }

  void remove(ChangeListener listener) {
    listeners.remove(listener);
  }

  /** A write of this process to {@code ref} committed (or failed: listeners read and see). */
  void changed(ConfigRef ref) {
    for (ChangeListener l : listeners) l.changed(ref);
  }

  private void anyChanged() {
    tokensChanged();
    for (ChangeListener l : listeners) l.anyChanged();
  }

  private void tokensChanged() {
    for (Runnable r : tokenListeners) r.run();
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
          if (n.getParameter().equals(TOKENS)) tokensChanged();
          else if (ref.length == 2) changed(new ConfigRef(ref[0], ref[1]));
        }
      }
      if (System.currentTimeMillis() >= resync) {
        anyChanged();
        resync = System.currentTimeMillis() + RESYNC_MILLIS;
      }
    }
  }

  private void poll(Connection c) throws SQLException {
    long read = lastChange(c);
    anyChanged(); // whatever happened before
    long seen = dataVersion(c);
    while (!closed) {
      sleep(SQLITE_POLL_MILLIS);
      long now = dataVersion(c);
      if (now != seen) {
        seen = now;
        read = readChanges(c, read);
      }
    }
  }

  private static long lastChange(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM changes")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Tells of the changes after {@code read}; returns the last one read. */
  private long readChanges(Connection c, long read) throws SQLException {
    Set<ConfigRef> refs = new LinkedHashSet<>();
    boolean tokens = false;
    long last = read;
    boolean gap = true;
    try (PreparedStatement s =
        c.prepareStatement("SELECT seq, tenant, name FROM changes WHERE seq >= ? ORDER BY seq")) {
      s.setLong(1, read);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          long seq = rs.getLong(1);
          if (seq == read) gap = false; // the last one read is still there: none went unread
          else if (rs.getString(2).equals(TOKENS)) tokens = true;
          else refs.add(new ConfigRef(rs.getString(2), rs.getString(3)));
          last = seq;
        }
      }
    }
    if (gap && read > 0) anyChanged();
    else for (ConfigRef ref : refs) changed(ref);
    if (tokens) tokensChanged();
    return last;
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
