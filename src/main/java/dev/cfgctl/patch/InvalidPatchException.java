package dev.cfgctl.patch;

/** A patch document that is not a well-formed RFC 6902 (or RFC 7396) patch. */
public final class InvalidPatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidPatchException(String message) {
    super(message);
  }
}
