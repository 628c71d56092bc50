package dev.cfgctl.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's schema, as numbered migrations applied in order inside one transaction each and
 * recorded in {@code schema_version}. A tiny runner instead of Flyway: opening the embedded store
 * must cost a single query when the schema is current (the command line starts a JVM per call).
 */
final class Migrations {
  private Migrations() {}

  static List<String> scripts(Dialect d) {
    return List.of(
        String.join(
            "\n",
            "CREATE TABLE configs (tenant TEXT NOT NULL, name TEXT NOT NULL, version BIGINT NOT NULL,",
            "  content TEXT NOT NULL, deleted SMALLINT NOT NULL, updated_at BIGINT NOT NULL,",
            "  updated_by_id TEXT NOT NULL, updated_by_name TEXT NOT NULL, write_id TEXT NOT NULL,",
            "  PRIMARY KEY (tenant, name));",
            "CREATE TABLE revisions (tenant TEXT NOT NULL, name TEXT NOT NULL, version BIGINT NOT NULL,",
            "  kind TEXT NOT NULL, author_id TEXT NOT NULL, author_name TEXT NOT NULL, at BIGINT NOT NULL,",
            "  message TEXT, paths TEXT NOT NULL, undoes BIGINT, forced SMALLINT NOT NULL,",
            "  rebased_from BIGINT, lock_id TEXT, patch TEXT NOT NULL, inverse TEXT NOT NULL,",
            "  deleted SMALLINT NOT NULL, snapshot TEXT, PRIMARY KEY (tenant, name, version));",
            "CREATE TABLE locks (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, name TEXT NOT NULL,",
            "  holder_id TEXT NOT NULL, holder_name TEXT NOT NULL, client TEXT, note TEXT,",
            "  acquired_at BIGINT NOT NULL, heartbeat_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,",
            "  ttl_seconds BIGINT NOT NULL, fence BIGINT NOT NULL, ended_at BIGINT, end_reason TEXT,",
            "  ended_by_id TEXT, ended_by_name TEXT);",
            "CREATE UNIQUE INDEX locks_live ON locks (tenant, name) WHERE ended_at IS NULL;",
            "CREATE INDEX locks_open ON locks (tenant, ended_at);",
            "CREATE TABLE fences (tenant TEXT NOT NULL, name TEXT NOT NULL, fence BIGINT NOT NULL,",
            "  PRIMARY KEY (tenant, name));",
            "CREATE TABLE tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL,",
            "  display_name TEXT NOT NULL, tenant TEXT NOT NULL, role TEXT NOT NULL,",
            "  created_at BIGINT NOT NULL, expires_at BIGINT, revoked_at BIGINT);",
            "CREATE TABLE audit (seq "
                + d.serialKey
                + ", tenant TEXT, name TEXT, at BIGINT NOT NULL,",
            "  actor_id TEXT NOT NULL, actor_name TEXT NOT NULL, event TEXT NOT NULL, detail TEXT);"),
        // the current content lives in the revisions' snapshots and patches only: a write no longer
        // rewrites the whole config (see Rows.commit)
        String.join(
            "\n",
            "ALTER TABLE configs DROP COLUMN content;",
            "ALTER TABLE configs ADD COLUMN snapshot_bytes BIGINT NOT NULL DEFAULT 0;",
            "ALTER TABLE configs ADD COLUMN delta_bytes BIGINT NOT NULL DEFAULT 0;"),
        // an upper bound of the current content's compact size, so a write checks the size limit
        // without measuring the document (-1: not known yet, measured on first use)
        "ALTER TABLE configs ADD COLUMN content_bytes BIGINT NOT NULL DEFAULT -1;",
        // what a write with an Idempotency-Key did, so that the same request again gets its result
        String.join(
            "\n",
            "CREATE TABLE idempotency_keys (principal TEXT NOT NULL, idem_key TEXT NOT NULL,",
            "  request TEXT NOT NULL, tenant TEXT NOT NULL, name TEXT NOT NULL, result TEXT NOT NULL,",
            "  created_at BIGINT NOT NULL, PRIMARY KEY (principal, idem_key));",
            "CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);"),
        // a user id means something only in its tenant: a lock is bound to both (null: older rows)
        "ALTER TABLE locks ADD COLUMN holder_tenant TEXT;",
        // who is connected to which config's change stream, on which server (presence)
        String.join(
            "\n",
            "CREATE TABLE sessions (id TEXT PRIMARY KEY, node TEXT NOT NULL, tenant TEXT NOT NULL,",
            "  name TEXT NOT NULL, user_id TEXT NOT NULL, user_name TEXT NOT NULL, client TEXT,",
            "  pointer TEXT, since BIGINT NOT NULL, seen_at BIGINT NOT NULL);",
            "CREATE INDEX sessions_config ON sessions (tenant, name);",
            "CREATE INDEX sessions_node ON sessions (node);",
            // on SQLite, which has no notifications: the configs each write changed, for the
            // change streams of other processes (see ChangeWatch)
            "CREATE TABLE changes (seq "
                + d.serialKey
                + ", tenant TEXT NOT NULL, name TEXT NOT NULL);"));
  }

  /**
   * Brings the schema up to date; call inside a transaction that serializes migrating processes.
   */
  static void apply(Connection c, Dialect d) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      int current = 0;
      try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
        if (rs.next()) current = rs.getInt(1);
      }
      List<String> scripts = scripts(d);
      for (int v = current + 1; v <= scripts.size(); v++) {
        for (String sql : scripts.get(v - 1).split(";\n?")) {
          if (!sql.isBlank()) s.execute(sql);
        }
        s.execute("INSERT INTO schema_version VALUES (" + v + ")");
      }
    }
  }
}
