package dev.cfgctl.patch;

/**
 * A write refused because its result would break a limit of its {@link Budget}; nothing was
 * changed. {@link #opIndex} is the operation that broke it, or -1 when no single one did.
 */
public final class LimitExceededException extends RuntimeException {
  /** What a write ran out of. */
  public enum Limit {
    DEPTH,
    SIZE,
    WORK
  }

  private static final long serialVersionUID = 1L;
  private final Limit limit;
  private final long max;
  private final int opIndex;

  public LimitExceededException(Limit limit, long max, String message) {
    this(limit, max, message, -1);
  }

  private LimitExceededException(Limit limit, long max, String message, int opIndex) {
    super(message, null, false, false);
    this.limit = limit;
    this.max = max;
    this.opIndex = opIndex;
  }

  public Limit limit() {
    return limit;
  }

  /** The limit's value: levels, bytes or work units. */
  public long max() {
    return max;
  }

  public int opIndex() {
    return opIndex;
  }

  /** The same refusal, blamed on operation {@code index}. */
  LimitExceededException at(int index) {
    return new LimitExceededException(limit, max, "op " + index + ": " + getMessage(), index);
  }
}
