package dev.cfgctl.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import java.time.Duration;
import java.time.Instant;

/**
 * An edit lock on one config. The id is the holder's secret for writing and heartbeating; {@code
 * fence} grows with every acquisition of the config's lock.
 */
public record Lock(
    String id,
    ConfigRef ref,
    Author holder,
    String client,
    String note,
    Instant acquiredAt,
    Instant heartbeatAt,
    Instant expiresAt,
    long ttlSeconds,
    long fence) {

  public ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode();
    o.put("id", id);
    o.put("tenant", ref.tenant());
    o.put("config", ref.name());
    o.set("holder", holder.toJson());
    o.put("client", client);
    o.put("note", note);
    o.put("acquiredAt", Times.format(acquiredAt));
    o.put("heartbeatAt", Times.format(heartbeatAt));
    o.put("expiresAt", Times.format(expiresAt));
    o.put("ttlSeconds", ttlSeconds);
    o.put("fence", fence);
    return o;
  }

  /** What others may see: everything but the id, which would let them write under the lock. */
  public ObjectNode publicJson() {
    ObjectNode o = toJson();
    o.remove("id");
    return o;
  }

  /** The support view adds how long ago the holder last showed signs of life. */
  public ObjectNode listJson(Instant now) {
    ObjectNode o = toJson();
    o.put("heartbeatAgeSeconds", Duration.between(heartbeatAt, now).toMillis() / 1000.0);
    return o;
  }

  public static Lock fromJson(JsonNode o) {
    return new Lock(
        o.path("id").isTextual() ? o.get("id").asText() : null,
        new ConfigRef(o.path("tenant").asText(), o.path("config").asText()),
        Author.fromJson(o.path("holder")),
        text(o, "client"),
        text(o, "note"),
        Times.parse(o.path("acquiredAt").asText(), "acquiredAt"),
        Times.parse(o.path("heartbeatAt").asText(), "heartbeatAt"),
        Times.parse(o.path("expiresAt").asText(), "expiresAt"),
        o.path("ttlSeconds").asLong(),
        o.path("fence").asLong());
  }

  private static String text(JsonNode o, String member) {
    return o.path(member).isTextual() ? o.get(member).asText() : null;
  }

  /** "sarah (web tab 3) has held acme/landing since 10:04:00Z; expires in 4m12s". */
  public String describe(Instant now) {
    return holder.name()
        + (client == null || client.isEmpty() ? "" : " (" + client + ")")
        + " has held "
        + ref
        + " since "
        + Times.format(acquiredAt)
        + "; the lock expires in "
        + Durations.format(Duration.between(now, expiresAt));
  }
}
