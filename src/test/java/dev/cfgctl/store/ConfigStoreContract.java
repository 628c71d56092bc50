package dev.cfgctl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.ConfigService;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.ConfigStore.HistoryQuery;
import dev.cfgctl.store.ConfigStore.LockRequest;
import dev.cfgctl.store.ConfigStore.Write;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ConfigStore} must do; run against each implementation by a subclass. */
public abstract class ConfigStoreContract {
  protected static final Principal ALICE = new Principal("alice", "Alice", "acme", Role.EDITOR);
  protected static final Principal BOB = new Principal("bob", "Bob", "acme", Role.EDITOR);
  protected static final Principal VIEWER = new Principal("val", "Val", "acme", Role.VIEWER);
  protected static final Principal ADMIN = new Principal("root", "Root", "acme", Role.ADMIN);
  protected static final Principal OTHER = new Principal("eve", "Eve", "globex", Role.ADMIN);
  protected static final ConfigRef LANDING = new ConfigRef("acme", "landing");

  protected final TestClock clock = new TestClock();
  protected ConfigStore store;

  /** A new, empty store using {@code clock}, with small retention so pruning is testable. */
  protected abstract ConfigStore open(TestClock clock, Tunables options);

  /**
   * Another store on the database of the last {@link #open}, with a cache of its own; null if none.
   */
  protected ConfigStore second(TestClock clock, Tunables options) {
    return null;
  }

  @BeforeEach
  void openStore() {
    store = open(clock, new Tunables(20, 1, 3600, 300, 5));
  }

  @AfterEach
  void closeStore() {
    if (store != null) store.close();
  }

  static JsonNode json(String text) {
    return Json.parse(text);
  }

  static Patch patch(String text) {
    return Patch.fromJson(Json.parse(text));
  }

  static StoreException refused(ThrowingCallable call, Problem problem) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(t).isInstanceOf(StoreException.class);
    StoreException e = (StoreException) t;
    assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem);
    return e;
  }

  Document create(String content) {
    return store.create(ALICE, LANDING, json(content), Write.PLAIN);
  }

  // ------------------------------------------------------------ documents and versions

  @Test
  void createsReadsAndVersions() {
    Document d = create("{\"title\":\"Spring\",\"n\":1.0}");
    assertThat(d.version()).isEqualTo(1);
    Document read = store.get(VIEWER, LANDING);
    assertThat(Json.compact(read.content())).isEqualTo("{\"title\":\"Spring\",\"n\":1.0}");
    assertThat(read.updatedBy()).isEqualTo(new Author("alice", "Alice"));
    refused(() -> create("{}"), Problem.ALREADY_EXISTS);
    assertThat(
            refused(() -> create("{}"), Problem.ALREADY_EXISTS)
                .members()
                .get("currentVersion")
                .asLong())
        .isEqualTo(1);
    refused(() -> store.get(VIEWER, new ConfigRef("acme", "nope")), Problem.NOT_FOUND);
  }

  @Test
  void writesBasedOnTheCurrentVersionLandPastVersion127() {
    // versions are compared by value: past 127, two equal versions are different Long objects
    create("{\"n\":0}");
    for (long v = 1; v <= 130; v++) {
      assertThat(
              store
                  .patch(
                      ALICE,
                      LANDING,
                      patch("[{\"op\":\"replace\",\"path\":\"/n\",\"value\":" + v + "}]"),
                      v,
                      Write.PLAIN)
                  .version())
          .isEqualTo(v + 1);
    }
  }

  @Test
  void refusesInvalidNames() {
    for (String bad :
        new String[] {
          "../x", "A", "", "a/b", "x%2F", "'; drop table configs; --", "a".repeat(64), "-x"
        }) {
      refused(() -> new ConfigRef("acme", bad), Problem.INVALID_NAME);
    }
    assertThat(new ConfigRef("acme", "a".repeat(63)).name()).hasSize(63);
  }

  @Test
  void fullSavesNeedAPreconditionAndStaleOnesNameWhatChanged() {
    create("{\"a\":1,\"b\":1}");
    refused(
        () -> store.save(ALICE, LANDING, json("{}"), null, Write.PLAIN),
        Problem.PRECONDITION_REQUIRED);
    store.patch(
        BOB, LANDING, patch("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]"), 1L, Write.PLAIN);
    StoreException e =
        refused(
            () -> store.save(ALICE, LANDING, json("{\"a\":1,\"b\":3}"), 1L, Write.PLAIN),
            Problem.VERSION_CONFLICT);
    assertThat(e.members().get("expectedVersion").asLong()).isEqualTo(1);
    assertThat(e.members().get("currentVersion").asLong()).isEqualTo(2);
    JsonNode since = e.members().get("since").get(0);
    assertThat(since.get("version").asLong()).isEqualTo(2);
    assertThat(since.get("author").get("id").asText()).isEqualTo("bob");
    assertThat(since.get("paths").get(0).asText()).isEqualTo("/a");
    assertThat(e.getMessage()).contains("Bob").contains("/a");
    assertThat(store.get(ALICE, LANDING).version()).isEqualTo(2);

    Document forced =
        store.save(
            ALICE,
            LANDING,
            json("{\"x\":true}"),
            ConfigStore.FORCE,
            new Write(null, "overwrite", false));
    assertThat(forced.version()).isEqualTo(3);
    Revision r = store.revision(VIEWER, LANDING, 3);
    assertThat(r.forced()).isTrue();
    assertThat(r.message()).isEqualTo("overwrite");
  }

  @Test
  void staleFullSaveIsMergedThreeWayWhenNothingOverlaps() {
    create("{\"a\":1,\"b\":1}");
    store.patch(
        BOB, LANDING, patch("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]"), 1L, Write.PLAIN);
    Document merged =
        store.save(ALICE, LANDING, json("{\"a\":1,\"b\":3}"), 1L, new Write(null, null, true));
    assertThat(Json.compact(merged.content())).isEqualTo("{\"a\":2,\"b\":3}");
    assertThat(store.revision(VIEWER, LANDING, 3).rebasedFrom()).isEqualTo(1L);
    StoreException e =
        refused(
            () ->
                store.save(
                    ALICE, LANDING, json("{\"a\":9,\"b\":1}"), 1L, new Write(null, null, true)),
            Problem.REBASE_CONFLICT);
    assertThat(e.members().get("conflicts").get(0).get("path").asText()).isEqualTo("/a");
    assertThat(store.get(ALICE, LANDING).version()).isEqualTo(3);
  }

  @Test
  void patchesApplyAtomicallyAndChecksVersionsWhenGiven() {
    create("{\"a\":[1,2,3]}");
    Document d =
        store.patch(
            ALICE,
            LANDING,
            patch("[{\"op\":\"add\",\"path\":\"/a/0\",\"value\":0}]"),
            null,
            Write.PLAIN);
    assertThat(d.version()).isEqualTo(2);
    StoreException failed =
        refused(
            () ->
                store.patch(
                    ALICE,
                    LANDING,
                    patch(
                        "[{\"op\":\"add\",\"path\":\"/b\",\"value\":1},{\"op\":\"remove\",\"path\":\"/zz\"}]"),
                    null,
                    Write.PLAIN),
            Problem.PATCH_FAILED);
    assertThat(failed.members().get("opIndex").asInt()).isEqualTo(1);
    assertThat(failed.members().get("path").asText()).isEqualTo("/zz");
    assertThat(Json.compact(store.get(ALICE, LANDING).content())).isEqualTo("{\"a\":[0,1,2,3]}");
    refused(
        () -> store.patch(ALICE, LANDING, patch("[]"), 1L, Write.PLAIN), Problem.VERSION_CONFLICT);
    refused(
        () -> store.patch(ALICE, LANDING, patch("[]"), 9L, Write.PLAIN), Problem.VERSION_CONFLICT);
    // a patch that changes nothing (a passing test) makes no version
    assertThat(
            store
                .patch(
                    ALICE,
                    LANDING,
                    patch("[{\"op\":\"test\",\"path\":\"/a/0\",\"value\":0}]"),
                    2L,
                    Write.PLAIN)
                .version())
        .isEqualTo(2);
  }

  @Test
  void stalePatchIsRebasedOverDisjointChanges() {
    create("{\"a\":1,\"b\":1}");
    store.patch(
        BOB,
        LANDING,
        patch("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]"),
        null,
        Write.PLAIN);
    Document d =
        store.patch(
            ALICE,
            LANDING,
            patch("[{\"op\":\"replace\",\"path\":\"/b\",\"value\":5}]"),
            1L,
            new Write(null, null, true));
    assertThat(Json.compact(d.content())).isEqualTo("{\"a\":2,\"b\":5}");
    StoreException e =
        refused(
            () ->
                store.patch(
                    ALICE,
                    LANDING,
                    patch("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":7}]"),
                    1L,
                    new Write(null, null, true)),
            Problem.REBASE_CONFLICT);
    JsonNode c = e.members().get("conflicts").get(0);
    assertThat(c.get("path").asText()).isEqualTo("/a");
    assertThat(c.get("version").asLong()).isEqualTo(2);
    assertThat(c.get("author").get("id").asText()).isEqualTo("bob");
  }

  @Test
  void mergePatchesAreVersionedLikePatches() {
    create("{\"a\":1,\"b\":{\"c\":2}}");
    Document d =
        store.mergePatch(ALICE, LANDING, json("{\"b\":{\"c\":null,\"d\":3}}"), null, Write.PLAIN);
    assertThat(Json.compact(d.content())).isEqualTo("{\"a\":1,\"b\":{\"d\":3}}");
    Revision r = store.revision(VIEWER, LANDING, 2);
    assertThat(r.kind()).isEqualTo(Revision.Kind.PATCH);
    assertThat(r.inverse().ops()).isNotEmpty();
  }

  @Test
  void deleteIsATombstoneThatUndoBringsBack() {
    create("{\"a\":1}");
    refused(() -> store.delete(ALICE, LANDING, 7, Write.PLAIN), Problem.VERSION_CONFLICT);
    assertThat(store.delete(ALICE, LANDING, 1, Write.PLAIN)).isEqualTo(2);
    assertThat(
            refused(() -> store.get(VIEWER, LANDING), Problem.DELETED)
                .members()
                .get("version")
                .asLong())
        .isEqualTo(2);
    assertThat(store.list(VIEWER, "acme", null, 10, null).items()).isEmpty();
    List<Revision> undone = store.undo(ALICE, LANDING, false, 1, null, Write.PLAIN);
    assertThat(undone).hasSize(1);
    assertThat(undone.get(0).undoes()).isEqualTo(2L);
    Document back = store.get(VIEWER, LANDING);
    assertThat(back.version()).isEqualTo(3);
    assertThat(Json.compact(back.content())).isEqualTo("{\"a\":1}");
    // a deleted config can be created again; its versions continue
    store.delete(ALICE, LANDING, 3, Write.PLAIN);
    assertThat(create("{\"new\":true}").version()).isEqualTo(5);
  }

  // ------------------------------------------------------------ history

  @Test
  void historyPagesNewestFirstWithFiltersAndRebuildsOldVersions() {
    create("{\"n\":0}");
    for (int i = 1; i <= 12; i++) {
      Principal who = i % 3 == 0 ? BOB : ALICE;
      store.patch(
          who,
          LANDING,
          patch("[{\"op\":\"replace\",\"path\":\"/n\",\"value\":" + i + "}]"),
          null,
          new Write(null, "step " + i, false));
      clock.advance(Duration.ofSeconds(10));
    }
    Page<Revision> first =
        store.history(VIEWER, LANDING, new HistoryQuery(5, null, null, null, null));
    assertThat(first.items()).extracting(Revision::version).containsExactly(13L, 12L, 11L, 10L, 9L);
    Page<Revision> second =
        store.history(
            VIEWER, LANDING, new HistoryQuery(5, Long.parseLong(first.next()), null, null, null));
    assertThat(second.items()).extracting(Revision::version).containsExactly(8L, 7L, 6L, 5L, 4L);
    Page<Revision> bobs =
        store.history(VIEWER, LANDING, new HistoryQuery(50, null, "bob", null, null));
    assertThat(bobs.items()).extracting(Revision::version).containsExactly(13L, 10L, 7L, 4L);
    assertThat(bobs.next()).isNull();
    Revision r = store.revision(VIEWER, LANDING, 7);
    assertThat(r.message()).isEqualTo("step 6");
    assertThat(r.patch().toString())
        .isEqualTo("[{\"op\":\"replace\",\"path\":\"/n\",\"value\":6}]");
    assertThat(r.inverse().toString())
        .isEqualTo("[{\"op\":\"replace\",\"path\":\"/n\",\"value\":5}]");
    for (int v = 1; v <= 13; v++) {
      assertThat(store.get(VIEWER, LANDING, v).content().get("n").asInt()).isEqualTo(v - 1);
    }
    refused(() -> store.get(VIEWER, LANDING, 14), Problem.NOT_FOUND);
  }

  @Test
  void retentionKeepsAtLeastTheConfiguredNumberOfRevisions() {
    create("{\"n\":0}");
    for (int i = 1; i <= 60; i++) {
      store.patch(
          ALICE,
          LANDING,
          patch("[{\"op\":\"replace\",\"path\":\"/n\",\"value\":" + i + "}]"),
          null,
          Write.PLAIN);
    }
    Page<Revision> all =
        store.history(VIEWER, LANDING, new HistoryQuery(1000, null, null, null, null));
    assertThat(all.items().size()).isBetween(20, 30); // retention 20, pruned at snapshots every 5
    long oldest = all.items().get(all.items().size() - 1).version();
    assertThat(store.get(VIEWER, LANDING, oldest).content().get("n").asInt())
        .isEqualTo((int) oldest - 1);
    refused(() -> store.get(VIEWER, LANDING, 1), Problem.NOT_FOUND);
  }

  @Test
  void anotherStoreOnTheDatabaseReadsWhatWasWritten() {
    // the current content is rebuilt from the latest snapshot and the patches after it: snapshots
    // every 1000 versions (so only the size rule makes them), then every 5 with pruning at 20
    for (Tunables o :
        List.of(new Tunables(1000, 1, 3600, 300, 1000), new Tunables(20, 1, 3600, 300, 5))) {
      store.close();
      store = open(clock, o);
      try (ConfigStore other = second(clock, o)) {
        assumeTrue(other != null, "no second store on one database");
        ConfigRef ref = new ConfigRef("acme", "rebuilt-" + o.snapshotEvery());
        store.create(ALICE, ref, json("{\"n\":0,\"tags\":[]}"), Write.PLAIN);
        for (int i = 1; i <= 40; i++) {
          String op =
              i % 10 == 0
                  ? "add\",\"path\":\"/big" + i + "\",\"value\":\"" + "x".repeat(300) + "\""
                  : i % 7 == 0
                      ? "add\",\"path\":\"/tags/0\",\"value\":" + i
                      : "replace\",\"path\":\"/n\",\"value\":" + i;
          ConfigStore writer = i % 3 == 0 ? other : store;
          writer.patch(ALICE, ref, patch("[{\"op\":\"" + op + "}]"), null, Write.PLAIN);
          if (i == 25) {
            long v = store.delete(ALICE, ref, store.get(VIEWER, ref).version(), Write.PLAIN);
            refused(() -> other.get(VIEWER, ref), Problem.DELETED);
            other.undo(ALICE, ref, false, 1, v, Write.PLAIN);
          }
          Document mine = store.get(VIEWER, ref);
          Document theirs = other.get(VIEWER, ref);
          assertThat(theirs.version()).isEqualTo(mine.version());
          assertThat(Json.compact(theirs.content()))
              .as("version " + mine.version())
              .isEqualTo(Json.compact(mine.content()));
        }
        assertThat(store.get(VIEWER, ref).content().get("n").asInt()).isEqualTo(40 - 1);
        assertThat(store.get(VIEWER, ref).content().get("tags").size()).isEqualTo(5);
      }
    }
  }

  // ------------------------------------------------------------ undo and redo

  @Test
  void undoAndRedoArePerUser() {
    create("{\"a\":0,\"b\":0}");
    store.patch(
        ALICE,
        LANDING,
        patch("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":1}]"),
        null,
        Write.PLAIN);
    store.patch(
        BOB,
        LANDING,
        patch("[{\"op\":\"replace\",\"path\":\"/b\",\"value\":1}]"),
        null,
        Write.PLAIN);
    // Alice's undo reverts her own change, not Bob's later one
    List<Revision> u = store.undo(ALICE, LANDING, false, 1, null, Write.PLAIN);
    assertThat(u.get(0).kind()).isEqualTo(Revision.Kind.UNDO);
    assertThat(u.get(0).undoes()).isEqualTo(2L);
    assertThat(Json.compact(store.get(ALICE, LANDING).content())).isEqualTo("{\"a\":0,\"b\":1}");
    // redo puts it back; Bob's redo stack is his own (empty)
    refused(() -> store.redo(BOB, LANDING, 1, null, Write.PLAIN), Problem.NOTHING_TO_REDO);
    store.redo(ALICE, LANDING, 1, null, Write.PLAIN);
    assertThat(Json.compact(store.get(ALICE, LANDING).content())).isEqualTo("{\"a\":1,\"b\":1}");
    // undo again, then a new change of Alice's clears her redo stack
    store.undo(ALICE, LANDING, false, 1, null, Write.PLAIN);
    store.patch(
        ALICE, LANDING, patch("[{\"op\":\"add\",\"path\":\"/c\",\"value\":1}]"), null, Write.PLAIN);
    refused(() -> store.redo(ALICE, LANDING, 1, null, Write.PLAIN), Problem.NOTHING_TO_REDO);
    // steps: Alice undoes /c and then the create... which would delete what Bob changed: refused
    // whole
    StoreException e =
        refused(
            () -> store.undo(ALICE, LANDING, false, 2, null, Write.PLAIN), Problem.UNDO_CONFLICT);
    assertThat(e.members().get("conflicts")).isNotEmpty();
    assertThat(store.get(ALICE, LANDING).content().has("c")).isTrue();
    assertThat(store.undo(ALICE, LANDING, false, 1, null, Write.PLAIN)).hasSize(1);
    assertThat(store.get(ALICE, LANDING).content().has("c")).isFalse();
  }

  @Test
  void undoStepsOverYourOwnChangeAndCreateDeleteTheConfig() {
    // the README's `cfgctl undo acme/landing --steps 2` on a config you made and changed once
    create("{\"a\":0}");
    store.patch(
        ALICE,
        LANDING,
        patch("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":1}]"),
        null,
        Write.PLAIN);
    List<Revision> undone = store.undo(ALICE, LANDING, false, 2, null, Write.PLAIN);
    assertThat(undone).extracting(Revision::undoes).containsExactly(2L, 1L);
    refused(() -> store.get(VIEWER, LANDING), Problem.DELETED);
    // a change by someone else since the create, undone again, does not hold the delete up either
    ConfigRef other = new ConfigRef("acme", "other");
    store.create(ALICE, other, json("{\"a\":0}"), Write.PLAIN);
    store.patch(
        BOB, other, patch("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]"), null, Write.PLAIN);
    StoreException e =
        refused(() -> store.undo(ALICE, other, false, 1, null, Write.PLAIN), Problem.UNDO_CONFLICT);
    assertThat(e.getMessage()).contains("changed since by Bob in version 2");
    store.undo(BOB, other, false, 1, null, Write.PLAIN);
    assertThat(store.undo(ALICE, other, false, 1, null, Write.PLAIN))
        .extracting(Revision::undoes)
        .containsExactly(1L);
    refused(() -> store.get(VIEWER, other), Problem.DELETED);
  }

  @Test
  void undoConflictsNameWhoChangedTheSamePlace() {
    create("{\"a\":0}");
    store.patch(
        ALICE,
        LANDING,
        patch("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":1}]"),
        null,
        Write.PLAIN);
    store.patch(
        BOB,
        LANDING,
        patch("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]"),
        null,
        Write.PLAIN);
    StoreException e =
        refused(
            () -> store.undo(ALICE, LANDING, false, 1, null, Write.PLAIN), Problem.UNDO_CONFLICT);
    JsonNode c = e.members().get("conflicts").get(0);
    assertThat(c.get("path").asText()).isEqualTo("/a");
    assertThat(c.get("author").get("id").asText()).isEqualTo("bob");
    assertThat(store.get(ALICE, LANDING).version()).isEqualTo(3);
    // undo of anyone's latest change is for admins
    refused(() -> store.undo(ALICE, LANDING, true, 1, null, Write.PLAIN), Problem.FORBIDDEN);
    List<Revision> any = store.undo(ADMIN, LANDING, true, 1, null, Write.PLAIN);
    assertThat(any.get(0).undoes()).isEqualTo(3L);
    assertThat(store.get(ALICE, LANDING).content().get("a").asInt()).isEqualTo(1);
  }

  @Test
  void rollbackMakesAnOldVersionCurrent() {
    create("{\"a\":0}");
    store.patch(
        ALICE, LANDING, patch("[{\"op\":\"add\",\"path\":\"/b\",\"value\":1}]"), null, Write.PLAIN);
    store.patch(
        BOB,
        LANDING,
        patch("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":5}]"),
        null,
        Write.PLAIN);
    refused(() -> store.rollback(ALICE, LANDING, 1, 2, Write.PLAIN), Problem.VERSION_CONFLICT);
    Revision r = store.rollback(ALICE, LANDING, 1, 3, Write.PLAIN);
    assertThat(r.kind()).isEqualTo(Revision.Kind.ROLLBACK);
    assertThat(r.version()).isEqualTo(4);
    assertThat(Json.compact(store.get(ALICE, LANDING).content())).isEqualTo("{\"a\":0}");
    refused(() -> store.rollback(ALICE, LANDING, 99, 4, Write.PLAIN), Problem.NOT_FOUND);
  }

  // ------------------------------------------------------------ locks

  @Test
  void locksAreEnforcedInsideWrites() {
    create("{\"a\":0}");
    Lock lock =
        store.acquire(
            ALICE, LANDING, new LockRequest(60L, "cli alice@laptop", "migrating", false, null));
    assertThat(lock.id()).isNotBlank();
    assertThat(lock.fence()).isEqualTo(1);
    StoreException held =
        refused(
            () ->
                store.acquire(BOB, LANDING, new LockRequest(null, "web tab 3", null, false, null)),
            Problem.LOCK_HELD);
    assertThat(held.getMessage())
        .contains("Alice")
        .contains("cli alice@laptop")
        .contains("expires in 1m");
    assertThat(held.members().get("lock").has("id")).isFalse();
    StoreException locked =
        refused(
            () ->
                store.patch(
                    BOB,
                    LANDING,
                    patch("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":1}]"),
                    null,
                    Write.PLAIN),
            Problem.LOCKED);
    assertThat(locked.members().get("lock").get("holder").get("id").asText()).isEqualTo("alice");
    Document d =
        store.patch(
            ALICE,
            LANDING,
            patch("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":1}]"),
            null,
            new Write(lock.id(), null, false));
    assertThat(d.version()).isEqualTo(2);
    assertThat(store.lock(VIEWER, LANDING))
        .get()
        .extracting(Lock::client)
        .isEqualTo("cli alice@laptop");
    clock.advance(Duration.ofSeconds(30));
    Lock extended = store.extend(ALICE, LANDING, lock.id(), null);
    assertThat(extended.expiresAt()).isEqualTo(clock.instant().plusSeconds(60));
    store.release(ALICE, LANDING, lock.id());
    assertThat(store.lock(VIEWER, LANDING)).isEmpty();
    StoreException lost =
        refused(
            () -> store.patch(ALICE, LANDING, patch("[]"), null, new Write(lock.id(), null, false)),
            Problem.LOCK_LOST);
    assertThat(lost.members().get("reason").asText()).isEqualTo("released");
    // a new acquisition gets a higher fence
    assertThat(store.acquire(BOB, LANDING, new LockRequest(null, null, null, false, null)).fence())
        .isEqualTo(2);
  }

  @Test
  void takeOverAndForceReleaseFenceOffTheFormerHolder() {
    create("{\"a\":0}");
    Lock alice = store.acquire(ALICE, LANDING, new LockRequest(60L, "cli", null, false, null));
    Lock bob =
        store.acquire(BOB, LANDING, new LockRequest(60L, "web", null, true, "alice is away"));
    assertThat(bob.fence()).isGreaterThan(alice.fence());
    StoreException lost =
        refused(() -> store.extend(ALICE, LANDING, alice.id(), null), Problem.LOCK_LOST);
    assertThat(lost.members().get("reason").asText()).isEqualTo("taken-over");
    assertThat(lost.members().get("by").get("id").asText()).isEqualTo("bob");
    refused(
        () ->
            store.patch(
                ALICE,
                LANDING,
                patch("[{\"op\":\"add\",\"path\":\"/x\",\"value\":1}]"),
                null,
                new Write(alice.id(), null, false)),
        Problem.LOCK_LOST);
    refused(() -> store.forceRelease(ALICE, LANDING, "stale"), Problem.FORBIDDEN);
    store.forceRelease(ADMIN, LANDING, "stale");
    StoreException forced = refused(() -> store.release(BOB, LANDING, bob.id()), Problem.LOCK_LOST);
    assertThat(forced.members().get("reason").asText()).isEqualTo("force-released");
    refused(() -> store.forceRelease(ADMIN, LANDING, "again"), Problem.NO_LOCK);
    assertThat(store.get(ALICE, LANDING).version()).isEqualTo(1);
  }

  @Test
  void locksExpireByTheStoreClockAndStaleOnesAreListed() {
    create("{\"a\":0}");
    Lock lock = store.acquire(ALICE, LANDING, new LockRequest(10L, "cli", null, false, null));
    store.acquire(
        BOB, new ConfigRef("acme", "other"), new LockRequest(100L, "web", null, false, null));
    clock.advance(Duration.ofSeconds(8));
    assertThat(store.locks(VIEWER, "acme", 5L)).hasSize(2);
    assertThat(store.locks(VIEWER, "acme", 9L)).isEmpty();
    clock.advance(Duration.ofSeconds(3));
    assertThat(store.locks(VIEWER, "acme", null))
        .extracting(l -> l.ref().name())
        .containsExactly("other");
    if (store instanceof ConfigService service) {
      assertThat(service.sweepExpiredLocks()).isEqualTo(1); // the expiry is now in the audit trail
      assertThat(service.sweepExpiredLocks()).isZero();
    }
    StoreException lost =
        refused(() -> store.extend(ALICE, LANDING, lock.id(), null), Problem.LOCK_LOST);
    assertThat(lost.members().get("reason").asText()).isEqualTo("expired");
    // the expired lock no longer blocks anyone
    assertThat(
            store
                .patch(
                    BOB,
                    LANDING,
                    patch("[{\"op\":\"add\",\"path\":\"/b\",\"value\":1}]"),
                    null,
                    Write.PLAIN)
                .version())
        .isEqualTo(2);
    refused(
        () -> store.acquire(ALICE, LANDING, new LockRequest(999_999L, null, null, false, null)),
        Problem.INVALID_REQUEST);
  }

  // ------------------------------------------------------------ access

  @Test
  void tenantsAreIsolatedAndRolesEnforced() {
    create("{\"a\":0}");
    refused(() -> store.get(OTHER, LANDING), Problem.NOT_FOUND);
    refused(() -> store.history(OTHER, LANDING, HistoryQuery.LATEST), Problem.NOT_FOUND);
    refused(() -> store.patch(OTHER, LANDING, patch("[]"), null, Write.PLAIN), Problem.NOT_FOUND);
    refused(() -> store.list(OTHER, "acme", null, 10, null), Problem.NOT_FOUND);
    refused(() -> store.patch(VIEWER, LANDING, patch("[]"), null, Write.PLAIN), Problem.FORBIDDEN);
    refused(
        () -> store.acquire(VIEWER, LANDING, new LockRequest(null, null, null, false, null)),
        Problem.FORBIDDEN);
    assertThat(store.list(VIEWER, "acme", "land", 10, null).items())
        .extracting(ConfigSummary::name)
        .containsExactly("landing");
  }

  @Test
  void listsPageByName() {
    for (String n : new String[] {"b", "a", "c_x", "cx", "d"}) {
      store.create(ALICE, new ConfigRef("acme", n), json("{}"), Write.PLAIN);
    }
    Page<ConfigSummary> p = store.list(VIEWER, "acme", null, 2, null);
    assertThat(p.items()).extracting(ConfigSummary::name).containsExactly("a", "b");
    p = store.list(VIEWER, "acme", null, 2, p.next());
    assertThat(p.items()).extracting(ConfigSummary::name).containsExactly("c_x", "cx");
    assertThat(store.list(VIEWER, "acme", "c_", 10, null).items())
        .extracting(ConfigSummary::name)
        .containsExactly("c_x");
  }

  @Test
  void tokensAuthenticateUntilRevokedOrExpired() {
    Principal root = new Principal("root", "Root", Principal.ALL_TENANTS, Role.ADMIN);
    Token.Issued t =
        store.createToken(root, new Principal("sarah", "Sarah", "acme", Role.EDITOR), 1);
    assertThat(t.secret()).hasSizeGreaterThan(40);
    assertThat(store.authenticate(t.secret()))
        .isEqualTo(new Principal("sarah", "Sarah", "acme", Role.EDITOR));
    refused(() -> store.authenticate(t.secret() + "x"), Problem.UNAUTHORIZED);
    refused(() -> store.authenticate(t.secret().substring(0, 20)), Problem.UNAUTHORIZED);
    assertThat(store.tokens(root)).extracting(Token::id).contains(t.token().id());
    refused(() -> store.createToken(ALICE, ALICE, null), Problem.FORBIDDEN);
    refused(() -> store.createToken(ADMIN, OTHER, null), Problem.FORBIDDEN);
    clock.advance(Duration.ofDays(2));
    refused(() -> store.authenticate(t.secret()), Problem.UNAUTHORIZED);
    Token.Issued u = store.createToken(root, new Principal("sam", "", "acme", Role.VIEWER), null);
    assertThat(store.authenticate(u.secret()).id()).isEqualTo("sam"); // now known to the store
    store.revokeToken(root, u.token().id());
    refused(() -> store.authenticate(u.secret()), Problem.UNAUTHORIZED);
    refused(() -> store.revokeToken(root, "tok_nope"), Problem.NOT_FOUND);
  }
}
