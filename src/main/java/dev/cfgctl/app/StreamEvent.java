package dev.cfgctl.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Author;
import dev.cfgctl.store.ConfigState;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.Presence;
import dev.cfgctl.store.Revision.Kind;
import dev.cfgctl.store.StoredRevision;
import dev.cfgctl.store.Times;
import java.time.Instant;
import java.util.List;

/**
 * One message of a config's change stream (API.md, "Change stream"), with its JSON written once for
 * every watcher. {@code version} is the config's version once the watcher has taken it in (0 for
 * messages that carry none of their own, such as a ping's).
 */
public record StreamEvent(String type, long version, String json) {

  /**
   * A revision as the stream shows it: {@code deleted} for a tombstone, {@code undeleted} for the
   * undo or redo that brought a deleted config back, else {@code revision}; each with the
   * revision's summary and patch.
   */
  static StreamEvent of(StoredRevision r) {
    String type =
        r.deleted()
            ? "deleted"
            : (r.kind() == Kind.UNDO || r.kind() == Kind.REDO)
                    && r.patch().ops().isEmpty()
                    && r.revision().paths().equals(List.of(""))
                ? "undeleted"
                : "revision";
    ObjectNode o = Json.NODES.objectNode().put("type", type);
    o.setAll(r.revision().toJson());
    o.remove("inverse");
    return new StreamEvent(type, r.version(), Json.compact(o));
  }

  /** As {@link #of}, without the patch, naming its config: for the tenant's stream. */
  static StreamEvent summary(StoredRevision r) {
    StreamEvent full = of(r);
    ObjectNode o = Json.NODES.objectNode().put("type", full.type());
    o.put("config", r.revision().ref().name());
    o.setAll(r.revision().summaryJson());
    return new StreamEvent(full.type(), r.version(), Json.compact(o));
  }

  /** The whole content at a version: first when no version is given or its history is gone. */
  static StreamEvent snapshot(ConfigState s) {
    ObjectNode o = Json.NODES.objectNode().put("type", "snapshot").put("version", s.version());
    o.put("deleted", s.deleted());
    o.set("content", s.content());
    return new StreamEvent("snapshot", s.version(), Json.compact(o));
  }

  /**
   * A lock event ({@code held}, on connecting, for a lock that is live; {@code acquired}, {@code
   * extended}, {@code released}, {@code expired}, {@code taken-over}, {@code force-released}): the
   * lock as anyone may see it (no id: that is its holder's secret), who did it and when.
   */
  static StreamEvent lock(String event, Lock lock, Author by, Instant at) {
    ObjectNode l = lock.publicJson();
    ObjectNode o = Json.NODES.objectNode().put("type", "lock").put("event", event);
    o.set("lock", l);
    if (by == null) o.putNull("by");
    else o.set("by", by.toJson());
    o.put("at", Times.format(at));
    return new StreamEvent("lock", 0, Json.compact(o));
  }

  /** The most sessions a presence list shows; {@code total} counts them all. */
  static final int PRESENCE_SHOWN = 100;

  /**
   * Who is connected to the config now, on every server: sent whenever that changes. The sessions
   * that say what they look at come first; at most {@value #PRESENCE_SHOWN} are listed.
   */
  static StreamEvent presence(List<Presence> sessions) {
    ObjectNode o = Json.NODES.objectNode().put("type", "presence");
    ArrayNode a = o.putArray("sessions");
    for (boolean pointing : new boolean[] {true, false}) {
      for (Presence p : sessions) {
        if ((p.pointer() != null) == pointing && a.size() < PRESENCE_SHOWN) a.add(p.toJson());
      }
    }
    o.put("total", sessions.size());
    return new StreamEvent("presence", 0, Json.compact(o));
  }

  /**
   * Sent to an idle watcher now and then, with the config's latest version as a bookmark (none on a
   * tenant's stream).
   */
  static StreamEvent ping(Long latest) {
    ObjectNode o = Json.NODES.objectNode().put("type", "ping");
    if (latest != null) o.put("version", latest);
    return new StreamEvent("ping", 0, Json.compact(o));
  }

  /** Before closing a watcher that fell behind: it reconnects with {@code since=after}. */
  static StreamEvent resume(long after) {
    return new StreamEvent(
        "resume",
        0,
        Json.compact(Json.NODES.objectNode().put("type", "resume").put("after", after)));
  }

  /** Whether this message moves the watcher to its {@link #version}. */
  public boolean versioned() {
    return version > 0;
  }
}
