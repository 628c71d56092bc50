package dev.cfgctl.internal;

/**
 * A certificate or key file that cannot be used: a one-line message naming the file (never its
 * content) and an optional hint, e.g. the openssl command that converts it.
 */
public final class PemException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String hint;

  public PemException(String message, String hint) {
    super(message, null, false, false);
    this.hint = hint;
  }

  /** What to do about it, or null. */
  public String hint() {
    return hint;
  }
}
