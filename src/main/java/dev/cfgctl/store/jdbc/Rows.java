package dev.cfgctl.store.jdbc;

import static dev.cfgctl.store.jdbc.Sql.detail;
import static dev.cfgctl.store.jdbc.Sql.random;
import static dev.cfgctl.store.jdbc.Sql.set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonPatch;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.Author;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigState;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigSummary;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.Revision.Kind;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.StoredRevision;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config's rows: its state (the config row, with the current content from the cache or rebuilt
 * from history), the commit of a new version (config row, revision row, audit row, snapshots and
 * pruning), and reading configs and revisions back. Runs inside the store's transactions; no access
 * checks.
 */
final class Rows {
  private static final int CACHED_DOCUMENTS = 256;

  /**
   * The cache's bound on the compact size of what it holds (a parsed tree takes several times
   * that): a few large configs must not fill the heap.
   */
  private static final long CACHED_BYTES = 64L << 20;

  private final Dialect dialect;

  /** How many versions of a config are kept; see {@link #prune}. */
  private final int retention;

  /** A snapshot at least every this many versions; see {@link #commit}. */
  private final int snapshotEvery;

  /**
   * The parsed current content of recently used configs, never modified. An entry is used only
   * while the config row still carries the entry's write id, a random id each write stores with the
   * content: an entry made by a write that was rolled back, or outdated by another server, never
   * matches.
   */
  private final Map<ConfigRef, Current> cache = new LinkedHashMap<>(64, 0.75f, true);

  /** The sum of {@link Current#bytes} in the cache. */
  private long cachedBytes;

  Rows(Dialect dialect, int retention, int snapshotEvery) {
    this.dialect = dialect;
    this.retention = retention;
    this.snapshotEvery = snapshotEvery;
  }

  private record Current(long version, String writeId, JsonNode content, long bytes) {}

  /**
   * The config's row, and its content: the cached copy when the row still carries the write id it
   * was cached with, else rebuilt from the latest snapshot and the patches after it.
   */
  ConfigState load(Connection c, ConfigRef ref) throws SQLException {
    Current cached;
    synchronized (cache) {
      cached = cache.get(ref);
    }
    long version;
    String writeId;
    boolean deleted;
    Instant updatedAt;
    Author updatedBy;
    long snapshotBytes;
    long deltaBytes;
    long contentBytes;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT version, deleted, updated_at,"
                + " updated_by_id, updated_by_name, write_id, snapshot_bytes, delta_bytes, content_bytes"
                + " FROM configs WHERE tenant = ? AND name = ?")) {
      set(s, ref.tenant(), ref.name());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) return null;
        version = rs.getLong(1);
        deleted = rs.getInt(2) != 0;
        updatedAt = Instant.ofEpochMilli(rs.getLong(3));
        updatedBy = new Author(rs.getString(4), rs.getString(5));
        writeId = rs.getString(6);
        snapshotBytes = rs.getLong(7);
        deltaBytes = rs.getLong(8);
        contentBytes = rs.getLong(9);
      }
    }
    JsonNode content;
    if (cached != null && cached.writeId.equals(writeId)) {
      content = cached.content;
    } else {
      content = contentAt(c, ref, version);
      // stored before the bound was kept: measured once, written back with the next version
      if (contentBytes < 0) contentBytes = Json.compactSize(content, Long.MAX_VALUE);
      cache(ref, version, writeId, content, contentBytes);
    }
    return new ConfigState(
        version, content, deleted, updatedAt, updatedBy, snapshotBytes, deltaBytes, contentBytes);
  }

  /**
   * Caches content, least recently used first out, within {@link #CACHED_DOCUMENTS} entries and
   * {@link #CACHED_BYTES}; a reader that saw an older version never replaces a newer entry.
   */
  private void cache(ConfigRef ref, long version, String writeId, JsonNode content, long bytes) {
    synchronized (cache) {
      Current old = cache.get(ref);
      if (old != null && old.version > version) return;
      if (old != null) cachedBytes -= old.bytes;
      if (bytes > CACHED_BYTES / 4) { // one config may not push out all the others
        cache.remove(ref);
        return;
      }
      cache.put(ref, new Current(version, writeId, content, bytes));
      cachedBytes += bytes;
      for (var it = cache.values().iterator();
          it.hasNext() && (cache.size() > CACHED_DOCUMENTS || cachedBytes > CACHED_BYTES); ) {
        cachedBytes -= it.next().bytes;
        it.remove();
      }
    }
  }

  /**
   * Writes the new version: the conditional update of the config row, revision row, audit row. The
   * content itself is written only as a snapshot in the revision row: at creation, every {@code
   * snapshotEvery} versions, and whenever the patches since the last snapshot have grown larger
   * than it (so rebuilding the content never reads more than about twice its size). A single-field
   * patch of a large config thus writes a few hundred bytes, not the config.
   */
  Document commit(
      Connection c,
      ConfigState before,
      Revision r,
      JsonNode content,
      boolean deleted,
      long contentBytes)
      throws SQLException {
    String patch = r.patch().toString();
    long delta = before == null ? 0 : before.deltaBytes() + patch.length();
    boolean snapshot =
        before == null
            || r.kind() == Kind.CREATE
            || r.version() % snapshotEvery == 0
            || delta > before.snapshotBytes();
    String text = snapshot ? Json.compact(content) : null;
    long snapshotBytes = snapshot ? text.length() : before.snapshotBytes();
    if (snapshot) {
      delta = 0;
      contentBytes = utf8Length(text); // exact again
    }
    String writeId = random(12);
    Object[] row = {
      r.version(),
      deleted ? 1 : 0,
      r.at().toEpochMilli(),
      r.author().id(),
      r.author().name(),
      writeId,
      snapshotBytes,
      delta,
      contentBytes
    };
    ArrayNode paths = Json.NODES.arrayNode();
    r.paths().forEach(paths::add);
    Object[] revision = {
      r.ref().tenant(),
      r.ref().name(),
      r.version(),
      r.kind().label(),
      r.author().id(),
      r.author().name(),
      r.at().toEpochMilli(),
      r.message(),
      Json.compact(paths),
      r.undoes(),
      r.forced() ? 1 : 0,
      r.rebasedFrom(),
      r.lockId(),
      patch,
      r.inverse().toString(),
      deleted ? 1 : 0,
      text
    };
    Object[] audit = {
      r.ref().tenant(),
      r.ref().name(),
      r.at().toEpochMilli(),
      r.author().id(),
      r.author().name(),
      r.kind().label(),
      detail("version", Long.toString(r.version()), "lock", r.lockId())
    };
    Object[] where = {r.ref().tenant(), r.ref().name(), before == null ? 0 : before.version()};
    if (before != null && dialect == Dialect.POSTGRESQL) {
      // the three rows in one round trip; the two inserts happen only if the update did
      try (PreparedStatement s = c.prepareStatement(POSTGRES_COMMIT)) {
        set(s, concat(row, where, revision, audit));
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          if (rs.getInt(1) != 1) throw changedConcurrently(r.ref(), before.version());
        }
      }
    } else {
      if (before == null) {
        try (PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO configs (version, deleted,"
                    + " updated_at, updated_by_id, updated_by_name, write_id, snapshot_bytes, delta_bytes,"
                    + " content_bytes, tenant, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          set(s, concat(row, new Object[] {r.ref().tenant(), r.ref().name()}));
          s.executeUpdate();
        }
      } else {
        try (PreparedStatement s =
            c.prepareStatement(
                "UPDATE configs SET "
                    + CONFIG_COLUMNS
                    + " WHERE tenant = ? AND name = ? AND version = ?")) {
          set(s, concat(row, where));
          if (s.executeUpdate() != 1) throw changedConcurrently(r.ref(), before.version());
        }
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO revisions ("
                  + REVISION_INSERT
                  + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        set(s, revision);
        s.executeUpdate();
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO audit (" + AUDIT_INSERT + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        set(s, audit);
        s.executeUpdate();
      }
    }
    if (snapshot) prune(c, r.ref(), r.version());
    cache(r.ref(), r.version(), writeId, content, contentBytes);
    return new Document(r.ref(), r.version(), content, r.at(), r.author());
  }

  private static long utf8Length(String s) {
    long n = s.length();
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch >= 0x80) n += ch < 0x800 || Character.isSurrogate(ch) ? 1 : 2; // a pair: 2 + 2
    }
    return n;
  }

  private static final String CONFIG_COLUMNS =
      "version = ?, deleted = ?, updated_at = ?,"
          + " updated_by_id = ?, updated_by_name = ?, write_id = ?, snapshot_bytes = ?, delta_bytes = ?,"
          + " content_bytes = ?";
  private static final String REVISION_INSERT =
      "tenant, name, version, kind, author_id,"
          + " author_name, at, message, paths, undoes, forced, rebased_from, lock_id, patch, inverse,"
          + " deleted, snapshot";
  private static final String AUDIT_INSERT =
      "tenant, name, at, actor_id, actor_name, event, detail";
  private static final String POSTGRES_COMMIT =
      "WITH updated AS (UPDATE configs SET "
          + CONFIG_COLUMNS
          + " WHERE tenant = ? AND name = ? AND version = ? RETURNING 1),"
          + " revision AS (INSERT INTO revisions ("
          + REVISION_INSERT
          + ") SELECT ?::text, ?::text,"
          + " ?::bigint, ?::text, ?::text, ?::text, ?::bigint, ?::text, ?::text, ?::bigint, ?::smallint,"
          + " ?::bigint, ?::text, ?::text, ?::text, ?::smallint, ?::text FROM updated),"
          + " audited AS (INSERT INTO audit ("
          + AUDIT_INSERT
          + ") SELECT ?::text, ?::text, ?::bigint,"
          + " ?::text, ?::text, ?::text, ?::text FROM updated)"
          + " SELECT count(*) FROM updated";

  private static Object[] concat(Object[]... parts) {
    List<Object> all = new ArrayList<>();
    for (Object[] p : parts) all.addAll(Arrays.asList(p));
    return all.toArray();
  }

  private static StoreException changedConcurrently(ConfigRef ref, long expected) {
    return new StoreException(Problem.VERSION_CONFLICT, ref + " changed concurrently")
        .with("expectedVersion", expected);
  }

  /** Drops revisions older than the retention, keeping a snapshot at the oldest one kept. */
  private void prune(Connection c, ConfigRef ref, long version) throws SQLException {
    long cutoff = version - retention;
    if (cutoff <= 1) return;
    long keepFrom;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT MAX(version) FROM revisions WHERE"
                + " tenant = ? AND name = ? AND version <= ? AND snapshot IS NOT NULL")) {
      set(s, ref.tenant(), ref.name(), cutoff);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        keepFrom = rs.getLong(1);
        if (rs.wasNull()) return;
      }
    }
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM revisions WHERE tenant = ? AND name = ? AND version < ?")) {
      set(s, ref.tenant(), ref.name(), keepFrom);
      s.executeUpdate();
    }
  }

  /**
   * Rebuilds under way at once. Each builds a whole document (up to the size limit, many times that
   * in memory) and is CPU-bound: more at once than processors only piles up memory.
   */
  private final java.util.concurrent.Semaphore rebuilds =
      new java.util.concurrent.Semaphore(
          Math.max(2, Runtime.getRuntime().availableProcessors()), true);

  /** The content at a retained version: its nearest snapshot at or before it, rolled forward. */
  JsonNode contentAt(Connection c, ConfigRef ref, long version) throws SQLException {
    rebuilds.acquireUninterruptibly();
    try {
      return rebuild(c, ref, version);
    } finally {
      rebuilds.release();
    }
  }

  /**
   * Rolls the nearest snapshot forward. The snapshot and the patches are two reads, so pruning may
   * come between them: the patches then no longer follow on from the snapshot, and the rebuild
   * starts again from the snapshot pruning kept.
   */
  private JsonNode rebuild(Connection c, ConfigRef ref, long version) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      long from;
      JsonNode content;
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT version, snapshot FROM revisions WHERE"
                  + " tenant = ? AND name = ? AND version <= ? AND snapshot IS NOT NULL"
                  + " ORDER BY version DESC LIMIT 1")) {
        set(s, ref.tenant(), ref.name(), version);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) throw notRetained(ref, version);
          from = rs.getLong(1);
          content = Json.parse(rs.getString(2));
        }
      }
      List<StoredRevision> patches = revisionsAfter(c, ref, from, version);
      if (patches.size() != version - from) { // pruned meanwhile
        if (attempt < 3) continue;
        throw notRetained(ref, version);
      }
      for (StoredRevision r : patches)
        content = JsonPatch.applyInPlace(content, r.patch()).document();
      return content;
    }
  }

  private static StoreException notRetained(ConfigRef ref, long version) {
    return new StoreException(
        Problem.NOT_FOUND, "version " + version + " of " + ref + " is no longer retained");
  }

  static final String REVISION_COLUMNS =
      "SELECT version, kind, author_id, author_name,"
          + " at, message, paths, undoes, forced, rebased_from, lock_id, patch, inverse, deleted";

  /** The columns of a summary: a revision without its patch and inverse, which may be large. */
  static final String SUMMARY_COLUMNS =
      "SELECT version, kind, author_id, author_name,"
          + " at, message, paths, undoes, forced, rebased_from, lock_id, '[]', '[]', deleted";

  /** The latest version of every config of {@code tenant}, deleted ones included, by name. */
  static Map<String, Long> versions(Connection c, String tenant) throws SQLException {
    Map<String, Long> versions = new HashMap<>();
    try (PreparedStatement s =
        c.prepareStatement("SELECT name, version FROM configs WHERE tenant = ?")) {
      set(s, tenant);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) versions.put(rs.getString(1), rs.getLong(2));
      }
    }
    return versions;
  }

  /** The latest version of a config, a tombstone's included, or null when it has no row. */
  static Long version(Connection c, ConfigRef ref) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT version FROM configs WHERE tenant = ? AND name = ?")) {
      set(s, ref.tenant(), ref.name());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  /** The latest version of a config, or null when it has no row or is deleted. */
  static Long liveVersion(Connection c, ConfigRef ref) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT version, deleted FROM configs WHERE tenant = ? AND name = ?")) {
      set(s, ref.tenant(), ref.name());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getInt(2) == 0 ? rs.getLong(1) : null;
      }
    }
  }

  /**
   * At most {@code limit} live configs of {@code tenant} whose names start with {@code prefix} and
   * come after {@code after} (null: from the first), by name.
   */
  static List<ConfigSummary> summaries(
      Connection c, String tenant, String prefix, String after, int limit) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT name, version, updated_at, updated_by_id,"
                + " updated_by_name FROM configs WHERE tenant = ? AND deleted = 0 AND name > ?"
                + " AND substr(name, 1, ?) = ? ORDER BY name LIMIT ?")) {
      s.setString(1, tenant);
      s.setString(2, after == null ? "" : after);
      s.setInt(3, prefix.length());
      s.setString(4, prefix);
      s.setInt(5, limit);
      List<ConfigSummary> items = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          items.add(
              new ConfigSummary(
                  rs.getString(1),
                  rs.getLong(2),
                  Instant.ofEpochMilli(rs.getLong(3)),
                  new Author(rs.getString(4), rs.getString(5))));
        }
      }
      return items;
    }
  }

  /** At most {@code limit} revision summaries matching {@code q}, latest first. */
  static List<Revision> history(Connection c, ConfigRef ref, ConfigStore.HistoryQuery q, int limit)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder(SUMMARY_COLUMNS + " FROM revisions WHERE tenant = ? AND name = ?");
    List<Object> args = new ArrayList<>(List.of(ref.tenant(), ref.name()));
    if (q.before() != null) {
      sql.append(" AND version < ?");
      args.add(q.before());
    }
    if (q.author() != null) {
      sql.append(" AND author_id = ?");
      args.add(q.author());
    }
    if (q.since() != null) {
      sql.append(" AND at >= ?");
      args.add(q.since().toEpochMilli());
    }
    if (q.until() != null) {
      sql.append(" AND at < ?");
      args.add(q.until().toEpochMilli());
    }
    sql.append(" ORDER BY version DESC LIMIT ?");
    args.add(limit);
    List<Revision> items = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) s.setObject(i + 1, args.get(i));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) items.add(revision(ref, rs).revision());
      }
    }
    return items;
  }

  /** Whether the config has a row (a tombstone too), without reading its content. */
  static boolean exists(Connection c, ConfigRef ref) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT 1 FROM configs WHERE tenant = ? AND name = ?")) {
      set(s, ref.tenant(), ref.name());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  static StoredRevision revision(ConfigRef ref, ResultSet rs) throws SQLException {
    List<String> stored = new ArrayList<>();
    Json.parse(rs.getString(7)).forEach(p -> stored.add(p.textValue()));
    List<String> paths = Revision.summedUp(stored); // rows of older builds may list more
    long undoes = rs.getLong(8);
    Long undoesOrNull = rs.wasNull() ? null : undoes;
    long rebased = rs.getLong(10);
    Long rebasedOrNull = rs.wasNull() ? null : rebased;
    Revision r =
        new Revision(
            ref,
            rs.getLong(1),
            Kind.parse(rs.getString(2)),
            new Author(rs.getString(3), rs.getString(4)),
            Instant.ofEpochMilli(rs.getLong(5)),
            rs.getString(6),
            paths,
            undoesOrNull,
            rs.getInt(9) != 0,
            rebasedOrNull,
            rs.getString(11),
            Patch.fromJson(Json.parse(rs.getString(12))),
            Patch.fromJson(Json.parse(rs.getString(13))));
    return new StoredRevision(r, rs.getInt(14) != 0);
  }

  static StoredRevision revisionRow(Connection c, ConfigRef ref, long version) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            REVISION_COLUMNS + " FROM revisions WHERE tenant = ? AND name = ? AND version = ?")) {
      set(s, ref.tenant(), ref.name(), version);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new StoreException(
              Problem.NOT_FOUND,
              "version " + version + " of " + ref + " does not exist or is no longer retained");
        }
        return revision(ref, rs);
      }
    }
  }

  /** Revisions {@code after < version <= upTo}, oldest first. */
  static List<StoredRevision> revisionsAfter(Connection c, ConfigRef ref, long after, long upTo)
      throws SQLException {
    return revisionsAfter(c, ref, after, upTo, REVISION_COLUMNS);
  }

  /** As {@link #revisionsAfter}, summaries only: their patches and inverses are empty. */
  static List<StoredRevision> summariesAfter(Connection c, ConfigRef ref, long after, long upTo)
      throws SQLException {
    return revisionsAfter(c, ref, after, upTo, SUMMARY_COLUMNS);
  }

  /** The latest {@code limit} revisions after {@code after}, oldest first, summaries only. */
  static List<Revision> latestSummariesAfter(Connection c, ConfigRef ref, long after, int limit)
      throws SQLException {
    List<Revision> latest = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            SUMMARY_COLUMNS
                + " FROM revisions WHERE"
                + " tenant = ? AND name = ? AND version > ? ORDER BY version DESC LIMIT ?")) {
      set(s, ref.tenant(), ref.name(), after, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) latest.add(0, revision(ref, rs).revision());
      }
    }
    return latest;
  }

  /** The length of the patches of revisions {@code after < version <= upTo}, in characters. */
  static long patchBytesAfter(Connection c, ConfigRef ref, long after, long upTo)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT SUM(LENGTH(patch)) FROM revisions"
                + " WHERE tenant = ? AND name = ? AND version > ? AND version <= ?")) {
      set(s, ref.tenant(), ref.name(), after, upTo);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private static List<StoredRevision> revisionsAfter(
      Connection c, ConfigRef ref, long after, long upTo, String columns) throws SQLException {
    List<StoredRevision> rows = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            columns
                + " FROM revisions WHERE"
                + " tenant = ? AND name = ? AND version > ? AND version <= ? ORDER BY version")) {
      set(s, ref.tenant(), ref.name(), after, upTo);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) rows.add(revision(ref, rs));
      }
    }
    return rows;
  }
}
