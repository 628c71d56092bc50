package dev.cfgctl.cli;

/**
 * An error to show the user: one line of message, an optional hint, and the exit code that goes with
 * it. Thrown anywhere below a command and printed once by {@link ErrorHandler}.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;
  private final String hint;

  public CliException(int exitCode, String message, String hint) {
    super(message);
    this.exitCode = exitCode;
    this.hint = hint;
  }

  public CliException(int exitCode, String message) {
    this(exitCode, message, null);
  }

  public static CliException usage(String message, String hint) {
    return new CliException(ExitCode.USAGE, message, hint);
  }

  public int exitCode() {
    return exitCode;
  }

  public String hint() {
    return hint;
  }
}
