package dev.cfgctl.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * What a write based on a stale version met: {@code ref} was at {@code currentVersion}, not at
 * {@code expectedVersion}; {@code since} are the latest (at most {@link Refusals#STALE_LISTED})
 * revisions after {@code expectedVersion}, oldest first, summaries only; {@code retained} says
 * whether every revision since is still kept (if not, nothing can be rebased over them).
 */
public record VersionConflict(
    ConfigRef ref,
    long expectedVersion,
    long currentVersion,
    List<Revision> since,
    boolean retained) {

  public VersionConflict {
    since = List.copyOf(since);
  }

  /** The problem's extension members (API.md); the first three as they always were. */
  public ObjectNode members() {
    ObjectNode o = Json.NODES.objectNode();
    o.put("expectedVersion", expectedVersion);
    o.put("currentVersion", currentVersion);
    ArrayNode listed = o.putArray("since");
    for (Revision r : since) listed.add(r.summaryJson());
    o.put("tenant", ref.tenant());
    o.put("config", ref.name());
    o.put("retained", retained);
    return o;
  }

  /**
   * The conflict that {@code members} describe, or null when they do not describe one completely
   * (e.g. a server that sends only some of them).
   */
  public static VersionConflict fromMembers(JsonNode members) {
    for (String needed : List.of("expectedVersion", "currentVersion", "tenant", "config")) {
      if (!members.hasNonNull(needed)) return null;
    }
    if (!members.path("since").isArray() || !members.path("retained").isBoolean()) return null;
    try {
      ConfigRef ref = new ConfigRef(members.get("tenant").asText(), members.get("config").asText());
      List<Revision> since = new ArrayList<>();
      for (JsonNode r : members.get("since")) since.add(Revision.fromJson(ref, r));
      return new VersionConflict(
          ref,
          members.get("expectedVersion").asLong(),
          members.get("currentVersion").asLong(),
          since,
          members.get("retained").asBoolean());
    } catch (RuntimeException e) {
      return null; // a malformed member: the detail still says what happened
    }
  }
}
