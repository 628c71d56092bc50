package dev.cfgctl.store.jdbc;

import static dev.cfgctl.store.jdbc.Sql.set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

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
    try (PreparedStatement s = c.prepareStatement("SELECT request, tenant, name, result FROM"
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
  static void record(Connection c, Principal who, ConfigStore.Idempotency key, ConfigRef ref,
      JsonNode result, Instant now) throws SQLException {
    if (key == null) return;
    // a key older than KEPT may still have its row: it is a new key now
    try (PreparedStatement s = c.prepareStatement("DELETE FROM idempotency_keys WHERE principal = ?"
        + " AND idem_key = ? AND created_at <= ?")) {
      set(s, principal(who), key.key(), now.minus(KEPT).toEpochMilli());
      s.executeUpdate();
    }
    // the key sent at once with a write to another config (on another server, or another writer
    // of this one) may have been recorded since find(): then this write is the one refused
    try (PreparedStatement s = c.prepareStatement("INSERT INTO idempotency_keys (principal,"
        + " idem_key, request, tenant, name, result, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (principal, idem_key) DO NOTHING")) {
      set(s, principal(who), key.key(), request(key), ref.tenant(), ref.name(), Json.compact(result),
          now.toEpochMilli());
      if (s.executeUpdate() == 0) throw reused(key, "another config, at the same time");
    }
  }

  private static StoreException reused(ConfigStore.Idempotency key, String where) {
    return new StoreException(Problem.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key " + key.key()
        + " was used for another request (to " + where + "); use a new key for a new request");
  }

  /** Forgets the keys older than {@link #KEPT}; returns how many. */
  static int sweep(Connection c, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "DELETE FROM idempotency_keys WHERE created_at <= ?")) {
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
