package dev.cfgctl.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.Author;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.Revision.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link UndoStacks} from histories written out by hand: who may undo or redo what next. */
class UndoStacksTest {
  private final List<Revision> history = new ArrayList<>();

  private UndoStacksTest change(String author, Kind kind) {
    return add(author, kind, null);
  }

  private UndoStacksTest add(String author, Kind kind, Long undoes) {
    history.add(
        new Revision(
            new ConfigRef("acme", "app"),
            history.size() + 1,
            kind,
            new Author(author, author),
            Instant.EPOCH,
            null,
            List.of(""),
            undoes,
            false,
            null,
            null,
            Patch.EMPTY,
            Patch.EMPTY));
    return this;
  }

  private UndoStacksTest undo(String author, long target) {
    return add(author, Kind.UNDO, target);
  }

  private UndoStacksTest redo(String author, long undo) {
    return add(author, Kind.REDO, undo);
  }

  private OptionalLong next(String user, Kind kind) {
    return UndoStacks.of(history, user).next(kind);
  }

  @Test
  void eachUserUndoesTheirOwnLatestChangeFirst() {
    change("alice", Kind.CREATE).change("alice", Kind.PATCH).change("bob", Kind.SAVE);
    assertThat(UndoStacks.of(history, "alice").undo()).containsExactly(2L, 1L);
    assertThat(next("bob", Kind.UNDO)).hasValue(3);
    assertThat(next(null, Kind.UNDO)).as("anyone's").hasValue(3);
    assertThat(next("carol", Kind.UNDO)).isEmpty();
  }

  @Test
  void anUndoGoesOntoItsAuthorsRedoStack() {
    change("alice", Kind.CREATE).change("alice", Kind.PATCH).undo("alice", 2);
    assertThat(next("alice", Kind.UNDO)).hasValue(1);
    assertThat(next("alice", Kind.REDO)).hasValue(3);
  }

  @Test
  void aNewChangeClearsItsAuthorsRedoStackOnly() {
    change("alice", Kind.CREATE)
        .change("bob", Kind.PATCH)
        .change("alice", Kind.PATCH)
        .undo("alice", 3)
        .undo("bob", 2)
        .change("alice", Kind.PATCH);
    assertThat(next("alice", Kind.REDO)).isEmpty();
    assertThat(next("bob", Kind.REDO)).hasValue(5);
  }

  @Test
  void aRedoTakesItsUndoOffEveryRedoStackAndCanBeUndoneAgain() {
    change("alice", Kind.CREATE).change("alice", Kind.PATCH).undo("alice", 2).redo("alice", 3);
    assertThat(next("alice", Kind.REDO)).isEmpty();
    assertThat(next("alice", Kind.UNDO)).hasValue(4);
  }

  @Test
  void anAdminsUndoTakesTheChangeOffItsAuthorsStack() {
    change("alice", Kind.CREATE).change("alice", Kind.PATCH).undo("admin", 2);
    assertThat(next("alice", Kind.UNDO)).hasValue(1);
    assertThat(next("alice", Kind.REDO)).isEmpty();
    assertThat(next("admin", Kind.REDO)).hasValue(3);
  }

  @Test
  void rollbacksAndDeletesAreOrdinaryChanges() {
    change("alice", Kind.CREATE).change("bob", Kind.ROLLBACK).change("bob", Kind.DELETE);
    assertThat(UndoStacks.of(history, "bob").undo()).containsExactly(3L, 2L);
  }

  @Test
  void anEmptyHistoryHasNothingToUndoOrRedo() {
    assertThat(next(null, Kind.UNDO)).isEmpty();
    assertThat(next(null, Kind.REDO)).isEmpty();
  }
}
