package dev.cfgctl.app;

import dev.cfgctl.store.Revision;
import dev.cfgctl.store.Revision.Kind;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;

/**
 * The undo and redo stacks of one user ({@code user} null: of everyone), derived from history: an
 * ordinary change goes onto its author's undo stack and clears their redo stack; an undo takes its
 * target off every undo stack and goes onto its author's redo stack; a redo takes its undo off
 * every redo stack and goes onto its author's undo stack. Not thread-safe.
 */
public record UndoStacks(Deque<Long> undo, Deque<Long> redo) {
  /** The stacks after {@code history}, oldest revision first (summaries suffice). */
  public static UndoStacks of(List<Revision> history, String user) {
    Deque<Long> undo = new ArrayDeque<>();
    Deque<Long> redo = new ArrayDeque<>();
    for (Revision r : history) {
      boolean mine = user == null || user.equals(r.author().id());
      if (r.kind().ordinary()) {
        if (mine) {
          undo.push(r.version());
          redo.clear();
        }
      } else if (r.kind() == Kind.UNDO) {
        undo.remove(r.undoes());
        if (mine) redo.push(r.version());
      } else {
        redo.remove(r.undoes());
        if (mine) undo.push(r.version());
      }
    }
    return new UndoStacks(undo, redo);
  }

  /**
   * The version an {@code UNDO} or {@code REDO} reverts next: the top of that stack, or empty when
   * there is nothing to revert.
   */
  public OptionalLong next(Kind kind) {
    Deque<Long> stack = kind == Kind.UNDO ? undo : redo;
    return stack.isEmpty() ? OptionalLong.empty() : OptionalLong.of(stack.peek());
  }
}
