package dev.cfgctl.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import java.util.Optional;

/**
 * A refused store operation: what went wrong ({@link Problem}), a one-line detail for people, and the
 * problem's extension members for programs. Where a caller says more than the detail does, it reads
 * the typed fields ({@link #versionConflict()}, {@link #lock()}), never the detail's text. Nothing
 * was changed when this is thrown.
 */
public class StoreException extends RuntimeException {
  private final Problem problem;
  private final ObjectNode members;
  private final VersionConflict versionConflict;
  private final Lock lock;

  public StoreException(Problem problem, String detail) {
    this(problem, detail, Json.NODES.objectNode());
  }

  public StoreException(Problem problem, String detail, ObjectNode members) {
    this(problem, detail, members, null, null);
  }

  /** A {@link Problem#VERSION_CONFLICT}, its members those of {@code conflict}. */
  public StoreException(String detail, VersionConflict conflict) {
    this(Problem.VERSION_CONFLICT, detail, conflict.members(), conflict, null);
  }

  /**
   * A refusal because of someone else's {@code lock} ({@link Problem#LOCKED}, {@link
   * Problem#LOCK_HELD}): the lock is member {@code lock}, and {@link #lock()}, without its id.
   */
  public StoreException(Problem problem, String detail, Lock lock) {
    // read back from its public form, the typed lock is the one a client of the API gets
    this(problem, detail, Json.NODES.objectNode().set("lock", lock.publicJson()), null,
        Lock.fromJson(lock.publicJson()));
  }

  /**
   * A refusal with its members as they are (e.g. as a server sent them) and their typed form, each
   * null where there is none.
   */
  public StoreException(Problem problem, String detail, ObjectNode members,
      VersionConflict versionConflict, Lock lock) {
    super(detail, null, false, false);
    this.problem = problem;
    this.members = members;
    this.versionConflict = versionConflict;
    this.lock = lock;
  }

  public Problem problem() {
    return problem;
  }

  /** The extension members of the problem object (e.g. {@code currentVersion}, {@code lock}). */
  public ObjectNode members() {
    return members;
  }

  /** What a version conflict met, when known. */
  public Optional<VersionConflict> versionConflict() {
    return Optional.ofNullable(versionConflict);
  }

  /** Someone else's lock that refused this, without its id, when known. */
  public Optional<Lock> lock() {
    return Optional.ofNullable(lock);
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
