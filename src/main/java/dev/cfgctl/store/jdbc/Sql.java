package dev.cfgctl.store.jdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Author;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Principal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Base64;

/** Small pieces every part of the JDBC store uses: parameters, audit rows, random ids. */
final class Sql {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Sql() {}

  static void audit(
      Connection c, ConfigRef ref, Principal who, Instant at, String event, String detail)
      throws SQLException {
    audit(c, ref, who.author(), at, event, detail);
  }

  static void audit(
      Connection c, ConfigRef ref, Author who, Instant at, String event, String detail)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO audit (tenant, name, at, actor_id,"
                + " actor_name, event, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      set(
          s,
          ref == null ? null : ref.tenant(),
          ref == null ? null : ref.name(),
          at.toEpochMilli(),
          who.id(),
          who.name(),
          event,
          detail);
      s.executeUpdate();
    }
  }

  static String detail(String... pairs) {
    ObjectNode o = Json.NODES.objectNode();
    for (int i = 0; i < pairs.length; i += 2)
      if (pairs[i + 1] != null) o.put(pairs[i], pairs[i + 1]);
    return Json.compact(o);
  }

  static void set(PreparedStatement s, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) s.setNull(i + 1, Types.NULL);
      else s.setObject(i + 1, values[i]);
    }
  }

  static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
