package dev.cfgctl.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Budget;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonPatch;
import dev.cfgctl.patch.LimitExceededException;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.patch.PatchFailedException;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Limits;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.util.function.Supplier;

/**
 * The {@link Limits} applied to writes: what a new content may be, what a patch may make of one,
 * and how much history a rebase may read. A broken limit refuses the write, naming the limit.
 * Immutable; each write takes its own {@link #budget()}.
 */
public final class ContentLimits {
  private final Limits limits;

  public ContentLimits(Limits limits) {
    this.limits = limits;
  }

  /** The budget of one write: the store's limits, growth at most the largest config. */
  public Budget budget() {
    return new Budget(limits.maxDepth(), limits.maxDocumentBytes(), limits.maxWork());
  }

  /** A new content and its inverse, after a patch within the limits, with its size bound. */
  public record Applied(JsonNode content, Patch inverse, long bytes) {}

  /**
   * Applies {@code patch} to {@code content} (of compact size at most {@code contentBytes}) within
   * {@code budget}: what the patch writes is checked as it goes (depth, growth, work), and the
   * result must be an object within the size limit, measured only when the bound (the size before
   * plus the growth) exceeds it.
   *
   * @throws PatchFailedException when the patch does not apply (the caller names the problem)
   */
  public Applied apply(
      ConfigRef ref, JsonNode content, long contentBytes, Patch patch, Budget budget) {
    JsonPatch.Applied a = within(ref, () -> JsonPatch.apply(content, patch, budget));
    if (!a.document().isObject()) throw notAnObject(ref, a.document());
    long max = limits.maxDocumentBytes();
    long bytes = contentBytes + budget.growth();
    if (bytes > max) {
      bytes = Json.compactSize(a.document(), max);
      if (bytes > max) throw tooLarge(ref, max);
    }
    return new Applied(a.document(), a.inverse(), bytes);
  }

  /** Checks the content of a create or save; returns its size. */
  public long checkNew(ConfigRef ref, JsonNode content) {
    if (!content.isObject()) throw notAnObject(ref, content);
    if (Json.depth(content, limits.maxDepth()) > limits.maxDepth()) {
      throw new StoreException(
              Problem.RESULT_TOO_DEEP,
              "refused: the content is nested deeper"
                  + " than the limit of "
                  + limits.maxDepth()
                  + " levels")
          .with("limit", limits.maxDepth());
    }
    long bytes = Json.compactSize(content, limits.maxDocumentBytes());
    if (bytes > limits.maxDocumentBytes()) throw tooLarge(ref, limits.maxDocumentBytes());
    return bytes;
  }

  /**
   * Refuses as too much work to rebase over the changes from {@code after} to {@code upTo} when
   * their patches ({@code patchBytes}) add up to more than four of the largest configs.
   */
  public void checkRebaseWork(ConfigRef ref, long after, long upTo, long patchBytes) {
    long max = 4 * limits.maxDocumentBytes();
    if (patchBytes > max) {
      throw new StoreException(
              Problem.TOO_MUCH_WORK,
              "refused, "
                  + ref
                  + " is unchanged: the"
                  + " changes since version "
                  + after
                  + " are "
                  + patchBytes
                  + " bytes of patches, more"
                  + " than the limit of "
                  + max
                  + " to rebase over; start again from version "
                  + upTo)
          .with("limit", max);
    }
  }

  /** Runs part of a write that charges a budget; a broken limit becomes its problem. */
  public static <T> T within(ConfigRef ref, Supplier<T> work) {
    try {
      return work.get();
    } catch (LimitExceededException e) {
      Problem p =
          switch (e.limit()) {
            case DEPTH -> Problem.RESULT_TOO_DEEP;
            case SIZE -> Problem.RESULT_TOO_LARGE;
            case WORK -> Problem.TOO_MUCH_WORK;
          };
      StoreException refused =
          new StoreException(p, "refused, " + ref + " is unchanged: " + e.getMessage())
              .with("limit", e.max());
      if (e.opIndex() >= 0) refused.with("opIndex", e.opIndex());
      throw refused;
    }
  }

  private static StoreException tooLarge(ConfigRef ref, long max) {
    return new StoreException(
            Problem.RESULT_TOO_LARGE,
            "refused, "
                + ref
                + " is unchanged: the"
                + " result would be larger than the limit of "
                + max
                + " bytes")
        .with("limit", max);
  }

  private static StoreException notAnObject(ConfigRef ref, JsonNode content) {
    return new StoreException(
        Problem.NOT_AN_OBJECT,
        "a config is a JSON object; the content of " + ref + " would be " + Patch.kind(content));
  }
}
