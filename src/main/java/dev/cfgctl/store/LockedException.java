package dev.cfgctl.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import java.util.Optional;

/**
 * A refusal because of someone else's lock ({@link Problem#LOCKED}, {@link Problem#LOCK_HELD}): the
 * lock is member {@code lock}, and {@link #lock()}, without its id.
 */
public class LockedException extends StoreException {
  private final transient Lock lock;

  public LockedException(Problem problem, String detail, Lock lock) {
    // read back from its public form, the typed lock is the one a client of the API gets
    this(
        problem,
        detail,
        Json.NODES.objectNode().set("lock", lock.publicJson()),
        Lock.fromJson(lock.publicJson()));
  }

  /** With its members as they are (e.g. as a server sent them); {@code lock} null if unknown. */
  public LockedException(Problem problem, String detail, ObjectNode members, Lock lock) {
    super(problem, detail, members);
    this.lock = lock;
  }

  /** The lock that refused this, without its id, when known. */
  public Optional<Lock> lock() {
    return Optional.ofNullable(lock);
  }
}
