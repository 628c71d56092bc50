package dev.cfgctl.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import java.time.Instant;

/** A bearer token's public record (never its secret, which is shown once and stored hashed). */
public record Token(
    String id, Principal principal, Instant createdAt, Instant expiresAt, Instant revokedAt) {
  public ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode();
    o.put("id", id);
    o.put("user", principal.id());
    o.put("displayName", principal.name());
    o.put("tenant", principal.tenant());
    o.put("role", principal.role().label());
    o.put("createdAt", Times.format(createdAt));
    o.put("expiresAt", Times.format(expiresAt));
    o.put("revokedAt", Times.format(revokedAt));
    return o;
  }

  /** A token just created: its record and its secret, which is never stored or shown again. */
  public record Issued(Token token, String secret) {}
}
