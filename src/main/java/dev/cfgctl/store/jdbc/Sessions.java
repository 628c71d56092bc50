package dev.cfgctl.store.jdbc;

import static dev.cfgctl.store.jdbc.Sql.set;

import dev.cfgctl.store.Author;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Presence;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The sessions connected to change streams, of every server on the database: each server refreshes
 * its own rows' {@code seen_at} every second, so the rows of a server that died stop counting
 * within seconds, and are deleted an hour later. Thread-safe.
 */
final class Sessions {
  private final Database db;
  private final ChangeWatch changes;

  Sessions(Database db, ChangeWatch changes) {
    this.db = db;
    this.changes = changes;
  }

  /** Adds the session, or moves it to another pointer. */
  void enter(Presence p, Instant now) {
    write(
        p.ref(),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("UPDATE sessions SET pointer = ?, seen_at = ? WHERE id = ?")) {
            set(s, p.pointer(), now.toEpochMilli(), p.session());
            if (s.executeUpdate() > 0) return null;
          }
          try (PreparedStatement s =
              c.prepareStatement("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            set(
                s,
                p.session(),
                p.node(),
                p.ref().tenant(),
                p.ref().name(),
                p.user().id(),
                p.user().name(),
                p.client(),
                p.pointer(),
                p.since().toEpochMilli(),
                now.toEpochMilli());
            s.executeUpdate();
          }
          return null;
        });
  }

  void leave(ConfigRef ref, String session) {
    write(
        ref,
        c -> {
          try (PreparedStatement s = c.prepareStatement("DELETE FROM sessions WHERE id = ?")) {
            set(s, session);
            s.executeUpdate();
          }
          return null;
        });
  }

  /** The node's sessions are alive at {@code now}; rows no one refreshed for an hour go. */
  void heartbeat(String node, Instant now) {
    outsideTheWriters(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("UPDATE sessions SET seen_at = ? WHERE node = ?")) {
            set(s, now.toEpochMilli(), node);
            s.executeUpdate();
          }
          try (PreparedStatement s = c.prepareStatement("DELETE FROM sessions WHERE seen_at < ?")) {
            set(s, now.toEpochMilli() - 3_600_000);
            s.executeUpdate();
          }
          return null;
        });
  }

  /** The sessions on {@code ref} seen after {@code aliveAfter} or of {@code node}, oldest first. */
  List<Presence> of(ConfigRef ref, Instant aliveAfter, String node) {
    return db.read(
        c -> {
          List<Presence> all = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT id, node, user_id, user_name, client, pointer, since FROM sessions"
                      + " WHERE tenant = ? AND name = ? AND (seen_at > ? OR node = ?)"
                      + " ORDER BY since, id")) {
            set(s, ref.tenant(), ref.name(), aliveAfter.toEpochMilli(), node);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                all.add(
                    new Presence(
                        rs.getString(1),
                        rs.getString(2),
                        ref,
                        new Author(rs.getString(3), rs.getString(4)),
                        rs.getString(5),
                        rs.getString(6),
                        Instant.ofEpochMilli(rs.getLong(7))));
              }
            }
          }
          return all;
        });
  }

  private void write(ConfigRef ref, Database.Work<Void> work) {
    outsideTheWriters(
        c -> {
          work.run(c);
          ChangeWatch.notify(c, db.dialect, ref);
          return null;
        });
    changes.changed(ref);
  }

  /**
   * Presence needs neither a config's write order nor a durable commit: on PostgreSQL its
   * statements run on a pooled connection of their own (autocommit), so a thousand watchers coming
   * and going do not queue ahead of content writes in the group-commit writers; SQLite has one
   * writer for everything.
   */
  private void outsideTheWriters(Database.Work<Void> work) {
    if (db.dialect == Dialect.POSTGRESQL) db.read(work);
    else db.write("sessions", work);
  }
}
