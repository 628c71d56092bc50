package dev.cfgctl.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.LockedException;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.VersionConflict;
import dev.cfgctl.store.VersionConflictException;
import java.util.List;

/**
 * A refused store operation as an RFC 9457 problem object ({@code application/problem+json}):
 * {@code type}, {@code title}, {@code status}, {@code detail} and the problem's extension members,
 * read back into the refusal's typed fields where it has them. Thread-safe (stateless).
 */
public final class ProblemJson {
  private static final String TYPE_PREFIX = "/problems/";

  private ProblemJson() {}

  public static ObjectNode encode(StoreException e) {
    ObjectNode o = Json.NODES.objectNode();
    o.put("type", e.problem().type());
    o.put("title", e.problem().title());
    o.put("status", ProblemStatus.of(e.problem()));
    o.put("detail", e.getMessage());
    o.setAll(e.members());
    return o;
  }

  /**
   * The refusal that the problem object {@code p}, answered with {@code status}, stands for; a type
   * this side does not know is taken for the problem of the status.
   */
  public static StoreException decode(int status, ObjectNode p) {
    String type = p.path("type").asText("");
    Problem problem =
        type.startsWith(TYPE_PREFIX) ? Problem.ofSlug(type.substring(TYPE_PREFIX.length())) : null;
    if (problem == null) problem = ProblemStatus.problemOf(status);
    String detail =
        p.path("detail").isTextual()
            ? p.get("detail").asText()
            : p.path("title").asText(problem.title());
    ObjectNode members = p.deepCopy();
    members.remove(List.of("type", "title", "status", "detail"));
    if (problem == Problem.VERSION_CONFLICT) {
      return new VersionConflictException(detail, members, VersionConflict.fromMembers(members));
    }
    Lock lock = lock(members);
    if (lock != null) return new LockedException(problem, detail, members, lock);
    return new StoreException(problem, detail, members);
  }

  /** The lock member of a problem, or null when there is none that reads as a lock. */
  private static Lock lock(ObjectNode members) {
    if (!members.path("lock").isObject()) return null;
    try {
      return Lock.fromJson(members.get("lock"));
    } catch (RuntimeException e) {
      return null; // a malformed member: the detail still says what happened
    }
  }
}
