package dev.cfgctl.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.PatchFailedException;
import dev.cfgctl.patch.Rebase;
import java.util.List;

/**
 * The refusals of writes that met other changes, or a config that is gone: a sentence for people
 * naming who changed what, and the members programs read. Stateless.
 */
public final class Refusals {
  /** How many of the revisions since a stale version a version conflict lists, the latest. */
  public static final int STALE_LISTED = 50;

  /** What comes between a version conflict's head and the revisions it lists. */
  public static final String SINCE_THEN = "; since then: ";

  private Refusals() {}

  /**
   * A write based on {@code expected} while {@code current} is latest; {@code since} are the latest
   * (at most {@link #STALE_LISTED}) revisions after {@code expected}, oldest first, summaries only.
   */
  public static StoreException stale(
      ConfigRef ref, long expected, long current, List<Revision> since) {
    VersionConflict conflict = new VersionConflict(ref, expected, current, since, true);
    StringBuilder who = new StringBuilder();
    for (Revision r : since) {
      if (who.length() > 200) break;
      who.append(who.length() == 0 ? SINCE_THEN : ", ")
          .append('v')
          .append(r.version())
          .append(' ')
          .append(r.kind().label())
          .append(" by ")
          .append(r.author().name());
      for (String p : r.paths()) who.append(' ').append(p.isEmpty() ? "\"\"" : p);
    }
    return new VersionConflictException(conflictHead(conflict) + who, conflict);
  }

  /**
   * A rebase from {@code after} refused because the revisions since are not all retained: over part
   * of them, the changes of the others would be lost without a word.
   */
  public static StoreException notRetained(
      ConfigRef ref, long after, long upTo, List<Revision> since) {
    VersionConflict conflict = new VersionConflict(ref, after, upTo, since, false);
    return new VersionConflictException(conflictHead(conflict), conflict);
  }

  /**
   * The sentence a version conflict starts with, before any list of the revisions since: what the
   * store's detail says and the command line shows, whoever lists the revisions.
   */
  public static String conflictHead(VersionConflict c) {
    if (c.retained()) {
      return c.ref() + " is at version " + c.currentVersion() + ", not " + c.expectedVersion();
    }
    return c.ref()
        + " is at version "
        + c.currentVersion()
        + " and the changes since version "
        + c.expectedVersion()
        + " are no longer all retained, so nothing can be rebased over them;"
        + " start again from version "
        + c.currentVersion();
  }

  /**
   * A rebase ({@link Problem#REBASE_CONFLICT}) or undo ({@link Problem#UNDO_CONFLICT}) whose
   * changes collide with {@code since}, the revisions it was rebased over (oldest first): which of
   * yours, with which of theirs, as in "your change to /title collides with v8 by Sarah (/title)".
   */
  public static StoreException collisions(Problem problem, Rebase.Result r, List<Revision> since) {
    ArrayNode list = Json.NODES.arrayNode();
    boolean undo = problem == Problem.UNDO_CONFLICT;
    StringBuilder detail = new StringBuilder(undo ? "cannot undo: " : "cannot rebase: ");
    String yours = undo ? "undoing your change to " : "your change to ";
    String sep = "";
    for (Rebase.Conflict k : r.conflicts()) {
      Revision by = since.get(Math.min(k.theirsIndex(), since.size() - 1));
      ObjectNode o = list.addObject();
      o.put("path", k.path());
      o.set("theirs", k.theirs());
      o.set("yours", k.yours());
      o.put("version", by.version());
      o.set("author", by.author().toJson());
      if (detail.length() < 300) {
        detail
            .append(sep)
            .append(yours)
            .append(shown(k.path()))
            .append(" collides with v")
            .append(by.version())
            .append(" by ")
            .append(by.author().name());
        List<String> theirs = by.paths();
        if (!theirs.isEmpty()) {
          detail.append(" (");
          for (int i = 0; i < theirs.size(); i++) {
            detail.append(i == 0 ? "" : ", ").append(shown(theirs.get(i)));
          }
          detail.append(')');
        }
        sep = "; ";
      }
    }
    return new StoreException(problem, detail.toString()).with("conflicts", list);
  }

  /** An undo or redo that cannot be done at {@code path} because of revision {@code by}. */
  public static StoreException undoConflict(String detail, String path, Revision by) {
    ArrayNode list = Json.NODES.arrayNode();
    ObjectNode o = list.addObject();
    o.put("path", path);
    o.putNull("theirs");
    o.putNull("yours");
    o.put("version", by.version());
    o.set("author", by.author().toJson());
    return new StoreException(Problem.UNDO_CONFLICT, detail).with("conflicts", list);
  }

  /** A rebased change that does not apply to the current content after all. */
  public static StoreException rebaseFailed(PatchFailedException e) {
    return new StoreException(Problem.REBASE_CONFLICT, "cannot rebase: " + e.getMessage())
        .with("conflicts", Json.NODES.arrayNode());
  }

  /** A patch that does not apply: which operation, where, and why. */
  public static StoreException patchFailed(ConfigRef ref, PatchFailedException e) {
    return new StoreException(
            Problem.PATCH_FAILED, "the patch does not apply to " + ref + ": " + e.getMessage())
        .with("opIndex", e.opIndex())
        .with("op", e.op().op().label())
        .with("path", e.op().path().toString())
        .with("reason", e.reason());
  }

  /** A config whose version {@code version} is its tombstone. */
  public static StoreException deleted(ConfigRef ref, long version) {
    return new StoreException(
            Problem.DELETED, "config " + ref + " was deleted (version " + version + ")")
        .with("version", version);
  }

  /** A pointer in a message: the whole document's is empty. */
  /** The refusal of a write that ran past its deadline; nothing of it was stored. */
  public static StoreException abandoned() {
    return new StoreException(
        Problem.UNAVAILABLE,
        "the change was abandoned: it ran past the"
            + " server's time budget for a request; nothing was changed, and it may be sent again");
  }

  private static String shown(String pointer) {
    return pointer.isEmpty() ? "the whole document" : pointer;
  }
}
