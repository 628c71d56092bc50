package dev.cfgctl.patch;

/**
 * A well-formed patch that does not apply to the document: a missing path, an index out of bounds,
 * a failed {@code test}. The document is left as it was.
 */
public final class PatchFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int opIndex;
  private final PatchOp op;
  private final String reason;

  public PatchFailedException(int opIndex, PatchOp op, String reason) {
    super("op " + opIndex + " (" + op.describe() + "): " + reason);
    this.opIndex = opIndex;
    this.op = op;
    this.reason = reason;
  }

  /** 0-based index of the failing operation in the patch. */
  public int opIndex() {
    return opIndex;
  }

  public PatchOp op() {
    return op;
  }

  public String reason() {
    return reason;
  }

  public boolean isTestFailure() {
    return op.op() == PatchOp.Kind.TEST;
  }
}
