package dev.cfgctl.store.jdbc;

import static dev.cfgctl.store.jdbc.Sql.set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.StoredRevision;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What writes made with an {@code Idempotency-Key} did, per principal, kept for {@link #KEPT}: the
 * row is written in the write's own transaction, so a write is either done and remembered or
 * neither, and a retry of it finds the result instead of writing again. Only successful writes are
 * remembered: a refused write changed nothing, and is simply tried again. Runs inside the store's
 * transactions; no access checks.
 */
final class IdempotencyKeys {
  /** How long a key is remembered (the IETF draft suggests a day at least). */
  static final Duration KEPT = Duration.ofHours(24);

  private IdempotencyKeys() {}

  /**
   * The result remembered for {@code key} of {@code who}, or null when there is none (or no key).
   *
   * @throws StoreException {@code idempotency-key-reused} when the key was used for another request
   */
  static ObjectNode find(Connection c, Principal who, ConfigStore.Idempotency key, Instant now)
      throws SQLException {
    if (key == null) return null;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT request, tenant, name, result FROM"
                + " idempotency_keys WHERE principal = ? AND idem_key = ? AND created_at > ?")) {
      set(s, principal(who), key.key(), now.minus(KEPT).toEpochMilli());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) return null;
        if (!rs.getString(1).equals(request(key))) {
          throw reused(key, rs.getString(2) + "/" + rs.getString(3));
        }
        key.replayed().set(true);
        return (ObjectNode) Json.parse(rs.getString(4));
      }
    }
  }

  /** Remembers {@code result} (an object) as what {@code key} did; nothing without a key. */
  static void record(
      Connection c,
      Principal who,
      ConfigStore.Idempotency key,
      ConfigRef ref,
      JsonNode result,
      Instant now)
      throws SQLException {
    if (key == null) return;
    // a key older than KEPT may still have its row: it is a new key now
    try (PreparedStatement s =
        c.prepareStatement(
            "DELETE FROM idempotency_keys WHERE principal = ?"
                + " AND idem_key = ? AND created_at <= ?")) {
      set(s, principal(who), key.key(), now.minus(KEPT).toEpochMilli());
      s.executeUpdate();
    }
    // the key sent at once with a write to another config (on another server, or another writer
    // of this one) may have been recorded since find(): then this write is the one refused
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO idempotency_keys (principal,"
                + " idem_key, request, tenant, name, result, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (principal, idem_key) DO NOTHING")) {
      set(
          s,
          principal(who),
          key.key(),
          request(key),
          ref.tenant(),
          ref.name(),
          Json.compact(result),
          now.toEpochMilli());
      if (s.executeUpdate() == 0) throw reused(key, "another config, at the same time");
    }
  }

  private static StoreException reused(ConfigStore.Idempotency key, String where) {
    return new StoreException(
        Problem.IDEMPOTENCY_KEY_REUSED,
        "Idempotency-Key "
            + key.key()
            + " was used for another request (to "
            + where
            + "); use a new key for a new request");
  }

  /** What a write remembers under its key: the versions it made, or the one it left unchanged. */
  private static ObjectNode result(boolean unchanged, long... versions) {
    ObjectNode o = Json.NODES.objectNode();
    ArrayNode list = o.putArray("versions");
    for (long v : versions) list.add(v);
    if (unchanged) o.put("unchanged", true);
    return o;
  }

  private static long version(ObjectNode result, int i) {
    return result.get("versions").get(i).asLong();
  }

  /** Remembers the document a write led to under its key (nothing without one); returns it. */
  static Document remember(
      Connection c, Principal who, ConfigStore.Idempotency key, Document d, Instant now)
      throws SQLException {
    record(
        c,
        who,
        key,
        d.ref(),
        result(d.unchanged(), d.version()).put("at", now.toEpochMilli()),
        now);
    return d;
  }

  /**
   * The document a remembered write led to: its version's content, or none when that version is no
   * longer retained (the write happened; only its content cannot be sent again).
   */
  static Document replayed(Connection c, Rows rows, ConfigRef ref, Principal who, ObjectNode done)
      throws SQLException {
    long v = version(done, 0);
    List<StoredRevision> at = Rows.summariesAfter(c, ref, v - 1, v);
    if (at.isEmpty()) { // made by this principal, about when the key was recorded
      return new Document(
          ref,
          v,
          null,
          Instant.ofEpochMilli(done.path("at").asLong()),
          who.author(),
          done.path("unchanged").asBoolean());
    }
    JsonNode content = at.get(0).deleted() ? null : rows.contentAt(c, ref, v);
    return new Document(
        ref, v, content, at.get(0).at(), at.get(0).author(), done.path("unchanged").asBoolean());
  }

  /** What an undo, redo or rollback remembers: its revisions, summed up should they be pruned. */
  static void rememberRevisions(
      Connection c,
      Principal who,
      ConfigStore.Idempotency key,
      ConfigRef ref,
      List<Revision> made,
      Instant now)
      throws SQLException {
    if (key == null) return;
    long[] versions = new long[made.size()];
    ArrayNode summaries = Json.NODES.arrayNode();
    for (int i = 0; i < versions.length; i++) {
      versions[i] = made.get(i).version();
      summaries.add(made.get(i).summaryJson());
    }
    ObjectNode result = result(false, versions);
    result.set("revisions", summaries);
    record(c, who, key, ref, result, now);
  }

  /**
   * The revisions a remembered undo, redo or rollback made: as stored, or, once history has been
   * pruned past them, their summaries (with empty patches: the changes themselves are gone).
   */
  static List<Revision> replayedRevisions(Connection c, ConfigRef ref, ObjectNode done)
      throws SQLException {
    List<Revision> made = new ArrayList<>();
    for (int i = 0; i < done.get("versions").size(); i++) {
      long v = version(done, i);
      List<StoredRevision> stored = Rows.revisionsAfter(c, ref, v - 1, v);
      made.add(
          stored.isEmpty()
              ? Revision.fromJson(ref, done.get("revisions").get(i))
              : stored.get(0).revision());
    }
    return made;
  }

  /** Forgets the keys older than {@link #KEPT}; returns how many. */
  static int sweep(Connection c, Instant now) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM idempotency_keys WHERE created_at <= ?")) {
      set(s, now.minus(KEPT).toEpochMilli());
      return s.executeUpdate();
    }
  }

  private static String principal(Principal who) {
    return who.tenant() + "/" + who.id();
  }

  private static String request(ConfigStore.Idempotency key) {
    return key.request() == null ? "" : key.request();
  }
}
