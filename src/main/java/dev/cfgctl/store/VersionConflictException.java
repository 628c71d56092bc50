package dev.cfgctl.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** A {@link Problem#VERSION_CONFLICT}, with what it met as a typed {@link VersionConflict}. */
public final class VersionConflictException extends StoreException {
  private final transient VersionConflict conflict;

  /** The conflict's members are those of {@code conflict}. */
  public VersionConflictException(String detail, VersionConflict conflict) {
    this(detail, conflict.members(), conflict);
  }

  /**
   * With its members as they are (e.g. as a server sent them); {@code conflict} null if unknown.
   */
  public VersionConflictException(String detail, ObjectNode members, VersionConflict conflict) {
    super(Problem.VERSION_CONFLICT, detail, members);
    this.conflict = conflict;
  }

  /** What the write met, when known (an older server sends less). */
  public Optional<VersionConflict> conflict() {
    return Optional.ofNullable(conflict);
  }
}
