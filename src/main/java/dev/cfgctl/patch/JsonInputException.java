package dev.cfgctl.patch;

/** Input that is not acceptable JSON: malformed, too deep, too long, or not a single value. */
public final class JsonInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int line;
  private final int column;
  private final boolean tooDeep;

  public JsonInputException(String message, int line, int column) {
    this(message, line, column, false);
  }

  /** {@code tooDeep}: the input is refused for nesting deeper than the limit, not as malformed. */
  public JsonInputException(String message, int line, int column, boolean tooDeep) {
    super(message);
    this.line = line;
    this.column = column;
    this.tooDeep = tooDeep;
  }

  /** Whether the input was refused for nesting deeper than the depth limit. */
  public boolean tooDeep() {
    return tooDeep;
  }

  /** 1-based line of the error, or 0 when it has no position. */
  public int line() {
    return line;
  }

  /** 1-based column of the error, or 0 when it has no position. */
  public int column() {
    return column;
  }
}
