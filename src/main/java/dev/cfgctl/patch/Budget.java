package dev.cfgctl.patch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.LimitExceededException.Limit;

/**
 * What one write may do to a document, checked while it is done, so that a small request can never
 * make a large or deep document, nor take long: how deep a value may end up, how many bytes
 * (written compactly) the document may grow by, and how much work the write may take — array
 * elements shifted by inserts and removes, pairs of operations compared when rebasing. Growth is
 * counted as the size of every value written, with nothing taken off for what is removed or
 * replaced, so it bounds the growth from above without measuring the document. Single use; not
 * thread-safe.
 */
public final class Budget {
  private final int maxDepth;
  private final long maxGrowth;
  private final long maxWork;
  private long growth;
  private long work;

  public Budget(int maxDepth, long maxGrowth, long maxWork) {
    this.maxDepth = maxDepth;
    this.maxGrowth = maxGrowth;
    this.maxWork = maxWork;
  }

  public static Budget unlimited() {
    return new Budget(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /** A budget with the same limits and nothing spent, for a trial run of the same write. */
  public Budget fresh() {
    return new Budget(maxDepth, maxGrowth, maxWork);
  }

  /** Bytes the document may have grown by so far (an upper bound). */
  public long growth() {
    return growth;
  }

  /** Work done so far. */
  public long work() {
    return work;
  }

  /** {@code value} is about to be written at {@code path}: its depth there and its size. */
  void write(JsonPointer path, JsonNode value) {
    int at = path.tokens().size();
    if (at + Json.depth(value, maxDepth - at) > maxDepth) {
      throw tooDeep(path);
    }
    long room = maxGrowth - growth;
    grow(Json.compactSize(value, room) + member(path));
  }

  /** The value at {@code from} is about to move to {@code path}. */
  void move(JsonPointer from, JsonPointer path, JsonNode value) {
    int at = path.tokens().size();
    // moving up or sideways cannot make the document deeper than it was
    if (at > from.tokens().size() && at + Json.depth(value, maxDepth - at) > maxDepth) {
      throw tooDeep(path);
    }
    grow(member(path));
  }

  private LimitExceededException tooDeep(JsonPointer path) {
    return new LimitExceededException(
        Limit.DEPTH,
        maxDepth,
        "the result would be nested deeper than the limit of "
            + maxDepth
            + " levels at "
            + path.shown());
  }

  /** Charges {@code units} of work. */
  public void work(long units) {
    work = units > maxWork - work ? maxWork + 1 : work + units;
    if (work > maxWork) {
      throw new LimitExceededException(
          Limit.WORK,
          maxWork,
          "the change takes more work than the"
              + " limit of "
              + maxWork
              + " units (array elements shifted, operations compared)");
    }
  }

  private void grow(long bytes) {
    growth += bytes;
    if (growth > maxGrowth) {
      throw new LimitExceededException(
          Limit.SIZE,
          maxGrowth,
          "the result would grow the document"
              + " by more than the limit of "
              + maxGrowth
              + " bytes");
    }
  }

  /** A member's name, colon and comma, or an element's comma: an upper bound either way. */
  private static long member(JsonPointer path) {
    return path.isRoot() ? 0 : Json.stringSize(path.last()) + 2;
  }
}
