package dev.cfgctl.app;

import static dev.cfgctl.app.ContentLimits.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Budget;
import dev.cfgctl.patch.JsonDiff;
import dev.cfgctl.patch.JsonPatch;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.patch.PatchFailedException;
import dev.cfgctl.patch.Rebase;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Refusals;
import dev.cfgctl.store.Revision;
import java.util.ArrayList;
import java.util.List;

/**
 * Carrying a change written against an older version over the revisions since, or refusing it with
 * what collided. {@code since} is always oldest first, with patches. Stateless.
 */
public final class Rebasing {
  private Rebasing() {}

  /**
   * The content a full save of {@code yours}, written against {@code base}, comes to on top of
   * {@code current}: both sides' changes merged.
   */
  public static JsonNode saveOver(
      ConfigRef ref,
      JsonNode base,
      JsonNode yours,
      List<Revision> since,
      JsonNode current,
      Budget budget) {
    Rebase.Result merged =
        within(ref, () -> Rebase.merge(base, yours, patches(since), current, budget));
    if (merged.hasConflicts()) {
      throw Refusals.collisions(Problem.REBASE_CONFLICT, merged, since);
    }
    try {
      return JsonPatch.apply(current, merged.patch()).document();
    } catch (PatchFailedException e) {
      throw Refusals.rebaseFailed(e);
    }
  }

  /** {@code patch}, written for the version before {@code since}, rebased onto {@code current}. */
  public static Patch patchOver(
      ConfigRef ref, Patch patch, List<Revision> since, JsonNode current, Budget budget) {
    Rebase.Result r;
    try {
      r = within(ref, () -> Rebase.rebase(patch, patches(since), current, budget));
    } catch (PatchFailedException e) { // it does not even apply to the version it was written for
      throw Refusals.patchFailed(ref, e);
    }
    if (r.hasConflicts()) throw Refusals.collisions(Problem.REBASE_CONFLICT, r, since);
    return r.patch();
  }

  /** Content read only when needed, perhaps from a database ({@code E}). */
  public interface Lazy<E extends Exception> {
    JsonNode read() throws E;
  }

  /**
   * The inverse of the change that made {@code changed}, as it applies to {@code current} after the
   * {@code later} revisions. Later changes to the same place may have cancelled out (changed, then
   * undone): before calling it a conflict, the inverse is rebased over their net effect, the
   * difference from {@code changed} (read only then) to {@code current}.
   */
  public static <E extends Exception> Patch undoOver(
      ConfigRef ref,
      Patch inverse,
      List<Revision> later,
      Lazy<E> changed,
      JsonNode current,
      Budget budget)
      throws E {
    if (later.isEmpty()) return inverse;
    Rebase.Result r = within(ref, () -> Rebase.rebase(inverse, patches(later), current, budget));
    if (!r.hasConflicts()) return r.patch();
    Patch net = JsonDiff.diff(changed.read(), current);
    Rebase.Result overNet =
        within(ref, () -> Rebase.rebase(inverse, List.of(net), current, budget));
    if (overNet.hasConflicts()) throw Refusals.collisions(Problem.UNDO_CONFLICT, r, later);
    return overNet.patch();
  }

  private static List<Patch> patches(List<Revision> revisions) {
    List<Patch> patches = new ArrayList<>(revisions.size());
    for (Revision r : revisions) patches.add(r.patch());
    return patches;
  }
}
