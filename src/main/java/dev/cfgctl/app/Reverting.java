package dev.cfgctl.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.ContentLimits.Applied;
import dev.cfgctl.patch.Budget;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.patch.PatchFailedException;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigRepository.Tx;
import dev.cfgctl.store.ConfigState;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Refusals;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.Revision.Kind;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.StoredRevision;
import java.util.List;

/**
 * The history a write is rebased over, and one step of an undo or redo: the revision that reverts
 * an earlier one, checked against what changed since (a conflict names the change in the way),
 * within the write's budget. Used inside a {@link ConfigService} write; it keeps only the limits,
 * so it is thread-safe.
 */
final class Reverting {
  private final ContentLimits limits;

  Reverting(ContentLimits limits) {
    this.limits = limits;
  }

  /** The revisions after {@code after} that a stale write or an undo is rebased over. */
  List<Revision> revisionsToRebaseOver(Tx tx, ConfigRef ref, long after, long upTo) {
    requireHistory(tx, ref, after, upTo);
    limits.checkRebaseWork(ref, after, upTo, tx.patchBytesAfter(ref, after, upTo));
    return StoredRevision.revisions(tx.revisionsAfter(ref, after, upTo));
  }

  /**
   * Refuses to rebase from version {@code after} when the revisions since are not all retained:
   * over part of them, the changes of the others would be lost without a word.
   */
  void requireHistory(Tx tx, ConfigRef ref, long after, long upTo) {
    if (tx.summariesAfter(ref, after, after + 1).isEmpty() && after < upTo) {
      throw Refusals.notRetained(
          ref, after, upTo, tx.latestSummariesAfter(ref, after, Refusals.STALE_LISTED));
    }
  }

  /** A revision that reverts another, and the content and tombstone state it leads to. */
  record Reverted(Revision revision, JsonNode content, boolean deleted, long bytes) {}

  Reverted revertOne(
      Tx tx,
      ConfigState s,
      StoredRevision summary,
      List<StoredRevision> all,
      Kind kind,
      Stamp stamp,
      Budget budget) {
    ConfigRef ref = summary.revision().ref();
    StoredRevision t = tx.revision(ref, summary.version());
    boolean deletedBefore =
        t.version() == 1 || StoredRevision.find(all, t.version() - 1) == null
            ? t.kind() == Kind.CREATE
            : StoredRevision.find(all, t.version() - 1).deleted();
    String what = kind.label() + " of version " + t.version();
    if (t.deleted() != deletedBefore) {
      // the change created or deleted the config: reverting it deletes or restores it
      // reverting a create deletes: refused if the content changed since (changes since that were
      // undone again, your own included, leave it as created); the conflict names the latest change
      if (deletedBefore && !tx.contentAt(ref, t.version()).equals(s.content())) {
        // the change in the way is someone else's: the undoer's own since are undone first (by
        // earlier steps of this undo, whose revisions are among these too)
        StoredRevision last = null;
        for (StoredRevision r : tx.revisionsAfter(ref, t.version(), s.version())) {
          boolean own = r.author().id().equals(stamp.author().id());
          if (!r.patch().ops().isEmpty() && (!own || last == null)) last = r;
        }
        if (last != null) {
          throw Refusals.undoConflict(
              what
                  + " would delete "
                  + ref
                  + ", changed since by "
                  + last.author().name()
                  + " in version "
                  + last.version(),
              "",
              last.revision());
        }
      }
      return new Reverted(
          stamp.wholeConfig(ref, s.version() + 1, kind, t.version(), false),
          s.content(),
          deletedBefore,
          s.contentBytes());
    }
    if (s.deleted()) {
      throw new StoreException(Problem.DELETED, ref + " is deleted; undo the delete first")
          .with("version", s.version());
    }
    List<Revision> later = revisionsToRebaseOver(tx, ref, t.version(), s.version());
    Patch patch =
        Rebasing.undoOver(
            ref, t.inverse(), later, () -> tx.contentAt(ref, t.version()), s.content(), budget);
    Long rebasedFrom = later.isEmpty() ? null : t.version();
    Applied a;
    try {
      a = limits.apply(ref, s.content(), s.contentBytes(), patch, budget);
    } catch (PatchFailedException e) {
      throw Refusals.undoConflict(
          what + " no longer applies: " + e.getMessage(),
          e.op().path().toString(),
          later.isEmpty() ? t.revision() : later.get(later.size() - 1));
    }
    return new Reverted(
        stamp.revision(
            ref, s.version() + 1, kind, patch, a.inverse(), t.version(), false, rebasedFrom),
        a.content(),
        false,
        a.bytes());
  }
}
