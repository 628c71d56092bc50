package dev.cfgctl.cli;

/**
 * An error to show the user: one line of message, an optional hint, and the exit code that goes
 * with it. Thrown anywhere below a command and printed once by {@link ErrorHandler}.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;
  private final String hint;
  private String problem;

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

  /**
   * Names the kind of failure for the problem object {@code -o json} prints ({@code type} {@code
   * /problems/<slug>}); without it the exit code names it.
   */
  public CliException problem(String slug) {
    this.problem = slug;
    return this;
  }

  /** The slug given to {@link #problem(String)}, or null. */
  public String problem() {
    return problem;
  }
}
