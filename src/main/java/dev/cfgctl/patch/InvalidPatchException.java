package dev.cfgctl.patch;

/** A patch document that is not a well-formed RFC 6902 (or RFC 7396) patch. */
public final class InvalidPatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final Integer opIndex;

  public InvalidPatchException(String message) {
    this(message, null);
  }

  /** A malformed operation: the one at {@code opIndex} (0-based), or null when no one op is. */
  public InvalidPatchException(String message, Integer opIndex) {
    super(message);
    this.opIndex = opIndex;
  }

  /** The 0-based index of the malformed operation, or null when the patch as a whole is. */
  public Integer opIndex() {
    return opIndex;
  }
}
