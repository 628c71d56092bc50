package dev.cfgctl.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;

/**
 * A refused store operation: what went wrong ({@link Problem}), a one-line detail for people, and
 * the problem's extension members for programs. Where a caller says more than the detail does, it
 * reads the typed fields of a subclass ({@link VersionConflictException}, {@link LockedException}),
 * never the detail's text. Nothing was changed when this is thrown.
 */
public class StoreException extends RuntimeException {
  private final Problem problem;
  private final ObjectNode members;

  public StoreException(Problem problem, String detail) {
    this(problem, detail, Json.NODES.objectNode());
  }

  public StoreException(Problem problem, String detail, ObjectNode members) {
    super(detail, null, false, false);
    this.problem = problem;
    this.members = members;
  }

  public Problem problem() {
    return problem;
  }

  /** The extension members of the problem object (e.g. {@code currentVersion}, {@code lock}). */
  public ObjectNode members() {
    return members;
  }

  public StoreException with(String member, JsonNode value) {
    members.set(member, value);
    return this;
  }

  public StoreException with(String member, long value) {
    members.put(member, value);
    return this;
  }

  public StoreException with(String member, String value) {
    members.put(member, value);
    return this;
  }
}
