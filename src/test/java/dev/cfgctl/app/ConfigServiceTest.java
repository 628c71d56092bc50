package dev.cfgctl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.Author;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigStore.HistoryQuery;
import dev.cfgctl.store.ConfigStore.Idempotency;
import dev.cfgctl.store.ConfigStore.Write;
import dev.cfgctl.store.ConfigSummary;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Limits;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.Revision.Kind;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.Tunables;
import dev.cfgctl.store.VersionConflict;
import dev.cfgctl.store.VersionConflictException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * {@link ConfigService}'s workflows on their own, over {@link InMemoryRepository}: no database, no
 * HTTP, no command line. The store contracts run the same service over real databases.
 */
class ConfigServiceTest {
  private static final Principal ALICE = new Principal("alice", "Alice", "acme", Role.EDITOR);
  private static final Principal BOB = new Principal("bob", "Bob", "acme", Role.EDITOR);
  private static final Principal VIEWER = new Principal("val", "Val", "acme", Role.VIEWER);
  private static final Principal OTHER = new Principal("eve", "Eve", "globex", Role.ADMIN);
  private static final ConfigRef LANDING = new ConfigRef("acme", "landing");
  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
  private static final Write REBASE = new Write(null, null, true);

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private ConfigService service =
      new ConfigService(new InMemoryRepository(), Tunables.DEFAULT, clock);

  /** JSON written with single quotes, for legibility. */
  private static JsonNode json(String text) {
    return Json.parse(text.replace('\'', '"'));
  }

  private static Patch patch(String text) {
    return Patch.fromJson(json(text));
  }

  private static StoreException refused(ThrowingCallable call, Problem problem) {
    Throwable t = catchThrowable(call);
    assertThat(t).isInstanceOf(StoreException.class);
    StoreException e = (StoreException) t;
    assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem);
    return e;
  }

  private String content() {
    return Json.compact(service.get(VIEWER, LANDING).content());
  }

  private long version() {
    return service.get(VIEWER, LANDING).version();
  }

  private void create(String content) {
    service.create(ALICE, LANDING, json(content), Write.PLAIN);
  }

  private Document replace(Principal who, String path, int value, Long expected, Write w) {
    String op = "[{'op':'replace','path':'" + path + "','value':" + value + "}]";
    return service.patch(who, LANDING, patch(op), expected, w);
  }

  @Test
  void createMakesVersionOneAndASecondCreateIsRefusedAsExisting() {
    Document d = service.create(ALICE, LANDING, json("{'a':1}"), Write.PLAIN);
    assertThat(d.version()).isEqualTo(1);
    Document read = service.get(VIEWER, LANDING);
    assertThat(Json.compact(read.content())).isEqualTo("{\"a\":1}");
    assertThat(read.updatedBy()).isEqualTo(new Author("alice", "Alice"));
    assertThat(read.updatedAt()).isEqualTo(NOW);

    StoreException e =
        refused(
            () -> service.create(BOB, LANDING, json("{'b':2}"), Write.PLAIN),
            Problem.ALREADY_EXISTS);
    assertThat(e.members().get("currentVersion").asLong()).isEqualTo(1);
    assertThat(version()).isEqualTo(1);
    assertThat(content()).isEqualTo("{\"a\":1}");
  }

  @Test
  void patchOnTheLatestVersionLandsAndOnAStaleOneIsAConflictListingTheRevisionsSince() {
    create("{'a':1,'b':1}");
    assertThat(replace(BOB, "/a", 2, 1L, Write.PLAIN).version()).isEqualTo(2);

    Throwable t = catchThrowable(() -> replace(ALICE, "/b", 3, 1L, Write.PLAIN));
    assertThat(t).isInstanceOf(VersionConflictException.class);
    VersionConflict c = ((VersionConflictException) t).conflict().orElseThrow();
    assertThat(c.expectedVersion()).isEqualTo(1);
    assertThat(c.currentVersion()).isEqualTo(2);
    assertThat(c.retained()).isTrue();
    assertThat(c.since()).extracting(Revision::version).containsExactly(2L);
    assertThat(c.since().get(0).author().id()).isEqualTo("bob");
    assertThat(c.since().get(0).paths()).containsExactly("/a");
    assertThat(t).hasMessageContaining("v2 patch by Bob /a");
    assertThat(version()).isEqualTo(2);
    assertThat(content()).isEqualTo("{\"a\":2,\"b\":1}");

    // a version from the future is no less a conflict, with nothing to list
    StoreException ahead =
        refused(() -> replace(ALICE, "/b", 3, 7L, Write.PLAIN), Problem.VERSION_CONFLICT);
    assertThat(ahead.members().get("since")).isEmpty();
  }

  @Test
  void stalePatchIsRebasedOverDisjointChangesAndConflictsOnTheSamePath() {
    create("{'a':1,'b':1}");
    replace(BOB, "/a", 2, null, Write.PLAIN);

    Document d = replace(ALICE, "/b", 5, 1L, REBASE);
    assertThat(d.version()).isEqualTo(3);
    assertThat(Json.compact(d.content())).isEqualTo("{\"a\":2,\"b\":5}");
    assertThat(service.revision(VIEWER, LANDING, 3).rebasedFrom()).isEqualTo(1L);

    StoreException e = refused(() -> replace(ALICE, "/a", 7, 1L, REBASE), Problem.REBASE_CONFLICT);
    JsonNode conflict = e.members().get("conflicts").get(0);
    assertThat(conflict.get("path").asText()).isEqualTo("/a");
    assertThat(conflict.get("version").asLong()).isEqualTo(2);
    assertThat(conflict.get("author").get("id").asText()).isEqualTo("bob");
    assertThat(version()).isEqualTo(3);
    assertThat(content()).isEqualTo("{\"a\":2,\"b\":5}");
  }

  @Test
  void saveNeedsAVersionLeavesSameContentUnchangedAndForcedAlwaysMakesAVersion() {
    create("{'a':1}");
    refused(
        () -> service.save(ALICE, LANDING, json("{}"), null, Write.PLAIN),
        Problem.PRECONDITION_REQUIRED);

    Document same = service.save(ALICE, LANDING, json("{'a':1}"), 1L, Write.PLAIN);
    assertThat(same.unchanged()).isTrue();
    assertThat(same.version()).isEqualTo(1);
    assertThat(service.history(VIEWER, LANDING, HistoryQuery.LATEST).items()).hasSize(1);

    Document saved = service.save(ALICE, LANDING, json("{'b':2}"), 1L, Write.PLAIN);
    assertThat(saved.unchanged()).isFalse();
    assertThat(saved.version()).isEqualTo(2);
    assertThat(service.revision(VIEWER, LANDING, 2).kind()).isEqualTo(Kind.SAVE);

    // a forced save over a stale version, with the content it already has: still a version
    Document forced =
        service.save(
            BOB, LANDING, json("{'b':2}"), ConfigStore.FORCE, new Write(null, "reset", false));
    assertThat(forced.unchanged()).isFalse();
    assertThat(forced.version()).isEqualTo(3);
    Revision r = service.revision(VIEWER, LANDING, 3);
    assertThat(r.forced()).isTrue();
    assertThat(r.message()).isEqualTo("reset");
    assertThat(content()).isEqualTo("{\"b\":2}");
  }

  @Test
  void mergePatchIsAppliedAsTheJsonPatchItMeansAndChecksTheVersionGiven() {
    create("{'a':1,'b':{'c':2}}");
    Document d =
        service.mergePatch(ALICE, LANDING, json("{'b':{'c':null,'d':3}}"), null, Write.PLAIN);
    assertThat(d.version()).isEqualTo(2);
    assertThat(content()).isEqualTo("{\"a\":1,\"b\":{\"d\":3}}");
    Revision r = service.revision(VIEWER, LANDING, 2);
    assertThat(r.kind()).isEqualTo(Kind.PATCH);
    assertThat(r.inverse().ops()).isNotEmpty();

    refused(
        () -> service.mergePatch(ALICE, LANDING, json("{'a':5}"), 1L, Write.PLAIN),
        Problem.VERSION_CONFLICT);
    Document rebased = service.mergePatch(ALICE, LANDING, json("{'a':5}"), 1L, REBASE);
    assertThat(rebased.version()).isEqualTo(3);
    assertThat(content()).isEqualTo("{\"a\":5,\"b\":{\"d\":3}}");
  }

  @Test
  void deleteLeavesATombstoneThatUndoBringsBack() {
    create("{'a':1}");
    assertThat(service.delete(ALICE, LANDING, 1, Write.PLAIN)).isEqualTo(2);

    StoreException gone = refused(() -> service.get(VIEWER, LANDING), Problem.DELETED);
    assertThat(gone.members().get("version").asLong()).isEqualTo(2);
    assertThat(service.list(VIEWER, "acme", null, 10, null).items()).isEmpty();
    assertThat(Json.compact(service.get(VIEWER, LANDING, 1).content())).isEqualTo("{\"a\":1}");
    refused(() -> replace(ALICE, "/a", 2, null, Write.PLAIN), Problem.DELETED);

    List<Revision> undone = service.undo(ALICE, LANDING, false, 1, null, Write.PLAIN);
    assertThat(undone).extracting(Revision::kind).containsExactly(Kind.UNDO);
    assertThat(undone.get(0).undoes()).isEqualTo(2L);
    assertThat(version()).isEqualTo(3);
    assertThat(content()).isEqualTo("{\"a\":1}");
    assertThat(service.list(VIEWER, "acme", null, 10, null).items())
        .extracting(ConfigSummary::name)
        .containsExactly("landing");
  }

  @Test
  void undoRevertsOnlyTheCallersChangeAndRedoPutsItBack() {
    create("{'a':0,'b':0}");
    replace(ALICE, "/a", 1, null, Write.PLAIN);
    replace(BOB, "/b", 1, null, Write.PLAIN);

    List<Revision> undone = service.undo(ALICE, LANDING, false, 1, null, Write.PLAIN);
    assertThat(undone).hasSize(1);
    assertThat(undone.get(0).undoes()).isEqualTo(2L);
    assertThat(undone.get(0).version()).isEqualTo(4);
    assertThat(content()).isEqualTo("{\"a\":0,\"b\":1}");

    refused(() -> service.redo(BOB, LANDING, 1, null, Write.PLAIN), Problem.NOTHING_TO_REDO);
    List<Revision> redone = service.redo(ALICE, LANDING, 1, null, Write.PLAIN);
    assertThat(redone).extracting(Revision::kind).containsExactly(Kind.REDO);
    assertThat(redone.get(0).undoes()).isEqualTo(4L);
    assertThat(content()).isEqualTo("{\"a\":1,\"b\":1}");
    refused(() -> service.redo(ALICE, LANDING, 1, null, Write.PLAIN), Problem.NOTHING_TO_REDO);
  }

  @Test
  void undoOfAChangeSomeoneElseChangedSinceIsRefusedNamingThem() {
    create("{'a':0}");
    replace(ALICE, "/a", 1, null, Write.PLAIN);
    replace(BOB, "/a", 2, null, Write.PLAIN);

    StoreException e =
        refused(
            () -> service.undo(ALICE, LANDING, false, 1, null, Write.PLAIN), Problem.UNDO_CONFLICT);
    JsonNode conflict = e.members().get("conflicts").get(0);
    assertThat(conflict.get("path").asText()).isEqualTo("/a");
    assertThat(conflict.get("version").asLong()).isEqualTo(3);
    assertThat(conflict.get("author").get("id").asText()).isEqualTo("bob");
    assertThat(version()).isEqualTo(3);
    assertThat(content()).isEqualTo("{\"a\":2}");
  }

  @Test
  void undoOfSeveralStepsIsRefusedWholeWhenALaterStepConflicts() {
    createThenBobThenAliceChanges();
    // the first step (Alice's /c) would do; the second deletes the config Bob changed since
    refused(() -> service.undo(ALICE, LANDING, false, 2, null, Write.PLAIN), Problem.UNDO_CONFLICT);
    assertThat(version()).isEqualTo(3);
    assertThat(content()).isEqualTo("{\"a\":1,\"c\":1}");
    assertThat(service.history(VIEWER, LANDING, HistoryQuery.LATEST).items()).hasSize(3);
  }

  @Test
  void undoOfSeveralStepsNamesTheChangeInTheWayNotItsOwnStep() {
    createThenBobThenAliceChanges();
    StoreException e =
        refused(
            () -> service.undo(ALICE, LANDING, false, 2, null, Write.PLAIN), Problem.UNDO_CONFLICT);
    assertThat(e).hasMessageContaining("changed since by Bob in version 2");
    JsonNode conflict = e.members().get("conflicts").get(0);
    assertThat(conflict.get("version").asLong()).isEqualTo(2);
    assertThat(conflict.get("author").get("id").asText()).isEqualTo("bob");
  }

  /** Alice creates {a:0}, Bob sets /a to 1 (v2), Alice adds /c (v3). */
  private void createThenBobThenAliceChanges() {
    create("{'a':0}");
    replace(BOB, "/a", 1, null, Write.PLAIN);
    service.patch(ALICE, LANDING, patch("[{'op':'add','path':'/c','value':1}]"), null, Write.PLAIN);
  }

  @Test
  void rollbackMakesAnEarlierVersionsContentCurrentAsANewVersion() {
    create("{'a':0}");
    service.patch(ALICE, LANDING, patch("[{'op':'add','path':'/b','value':1}]"), null, Write.PLAIN);
    replace(BOB, "/a", 5, null, Write.PLAIN);

    refused(() -> service.rollback(ALICE, LANDING, 1, 2, Write.PLAIN), Problem.VERSION_CONFLICT);
    Revision r = service.rollback(ALICE, LANDING, 1, 3, Write.PLAIN);
    assertThat(r.kind()).isEqualTo(Kind.ROLLBACK);
    assertThat(r.version()).isEqualTo(4);
    assertThat(r.message()).isEqualTo("rollback to version 1");
    assertThat(content()).isEqualTo("{\"a\":0}");
    assertThat(Json.compact(service.get(VIEWER, LANDING, 3).content()))
        .isEqualTo("{\"a\":5,\"b\":1}");
    refused(() -> service.rollback(ALICE, LANDING, 99, 4, Write.PLAIN), Problem.NOT_FOUND);
  }

  @Test
  void aViewerCannotWriteAndAnotherTenantSeesNothing() {
    create("{'a':0}");
    assertThat(service.get(VIEWER, LANDING).version()).isEqualTo(1);
    StoreException forbidden =
        refused(() -> replace(VIEWER, "/a", 1, null, Write.PLAIN), Problem.FORBIDDEN);
    assertThat(forbidden.members().get("requiredRole").asText()).isEqualTo("editor");
    refused(() -> service.undo(VIEWER, LANDING, false, 1, null, Write.PLAIN), Problem.FORBIDDEN);

    // as if it did not exist: the same answer as for a config that does not
    StoreException hidden = refused(() -> service.get(OTHER, LANDING), Problem.NOT_FOUND);
    StoreException missing =
        refused(() -> service.get(ALICE, new ConfigRef("acme", "nope")), Problem.NOT_FOUND);
    assertThat(hidden).hasMessage("config acme/landing not found");
    assertThat(missing).hasMessage("config acme/nope not found");
    refused(() -> replace(OTHER, "/a", 1, null, Write.PLAIN), Problem.NOT_FOUND);
    refused(() -> service.history(OTHER, LANDING, HistoryQuery.LATEST), Problem.NOT_FOUND);
    assertThat(version()).isEqualTo(1);
  }

  @Test
  void aRetryWithTheSameIdempotencyKeyGetsTheFirstResultWithoutASecondRevision() {
    create("{'a':0}");
    Idempotency first = new Idempotency("key-1", "patch /a=1");
    Document d = replace(ALICE, "/a", 1, 1L, Write.PLAIN.withIdempotency(first));
    assertThat(first.replayed()).isFalse();

    // the retry comes after someone else's change: it still gets what the first try did
    replace(BOB, "/a", 2, null, Write.PLAIN);
    Idempotency retry = new Idempotency("key-1", "patch /a=1");
    Document again = replace(ALICE, "/a", 1, 1L, Write.PLAIN.withIdempotency(retry));
    assertThat(retry.replayed()).isTrue();
    assertThat(again.version()).isEqualTo(d.version()).isEqualTo(2);
    assertThat(Json.compact(again.content())).isEqualTo("{\"a\":1}");
    assertThat(version()).isEqualTo(3);
    assertThat(content()).isEqualTo("{\"a\":2}");

    Idempotency other = new Idempotency("key-1", "patch /a=9");
    refused(
        () -> replace(ALICE, "/a", 9, null, Write.PLAIN.withIdempotency(other)),
        Problem.IDEMPOTENCY_KEY_REUSED);
    assertThat(version()).isEqualTo(3);
  }

  @Test
  void aRetriedUndoWithTheSameKeyReturnsTheRevisionsItMade() {
    create("{'a':0}");
    replace(ALICE, "/a", 1, null, Write.PLAIN);
    Write w = Write.PLAIN.withIdempotency(new Idempotency("undo-1", "undo"));
    List<Revision> made = service.undo(ALICE, LANDING, false, 1, null, w);
    List<Revision> replayed = service.undo(ALICE, LANDING, false, 1, null, w);
    assertThat(replayed).isEqualTo(made);
    assertThat(version()).isEqualTo(3);
    assertThat(content()).isEqualTo("{\"a\":0}");
  }

  @Test
  void aWriteBeyondTheContentLimitsIsRefusedAndChangesNothing() {
    Limits tiny = new Limits(3, 40, 1_000_000);
    service =
        new ConfigService(
            new InMemoryRepository(), new Tunables(1000, 5, 3600, 300, 100, tiny), clock);
    create("{'a':'x'}");

    String big = "[{'op':'add','path':'/b','value':'" + "y".repeat(50) + "'}]";
    StoreException large =
        refused(
            () -> service.patch(ALICE, LANDING, patch(big), 1L, Write.PLAIN),
            Problem.RESULT_TOO_LARGE);
    assertThat(large.members().get("limit").asLong()).isEqualTo(40);
    String deep = "[{'op':'add','path':'/b','value':{'c':{'d':{'e':1}}}}]";
    refused(
        () -> service.patch(ALICE, LANDING, patch(deep), 1L, Write.PLAIN), Problem.RESULT_TOO_DEEP);
    refused(
        () -> service.save(ALICE, LANDING, json("{'z':'" + "y".repeat(50) + "'}"), 1L, Write.PLAIN),
        Problem.RESULT_TOO_LARGE);
    assertThat(version()).isEqualTo(1);
    assertThat(content()).isEqualTo("{\"a\":\"x\"}");
  }
}
