package dev.cfgctl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Budget;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonPatch;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.Author;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Refusals;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.Revision.Kind;
import dev.cfgctl.store.StoreException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Rebasing} and the refusals it names ({@link Refusals}): changes carried over the revisions
 * since, or refused with who changed what. Documents and patches are written with single quotes.
 */
class RebasingTest {
  private static final ConfigRef REF = new ConfigRef("acme", "app");

  private static JsonNode json(String singleQuoted) {
    return Json.parse(singleQuoted.replace('\'', '"'));
  }

  private static Patch patch(String singleQuoted) {
    return Patch.fromJson(json(singleQuoted));
  }

  private static Revision by(String name, long version, Patch patch) {
    return new Revision(
        REF,
        version,
        Kind.PATCH,
        new Author(name.toLowerCase(), name),
        Instant.EPOCH,
        null,
        Revision.touched(patch),
        null,
        false,
        null,
        null,
        patch,
        Patch.EMPTY);
  }

  private static Problem problem(Throwable e) {
    return ((StoreException) e).problem();
  }

  @Test
  void aPatchToAnotherPlaceIsCarriedOver() {
    Revision sarah = by("Sarah", 8, patch("[{'op':'replace','path':'/seo','value':'y'}]"));
    JsonNode current = json("{'title':'a','seo':'y'}");
    Patch rebased =
        Rebasing.patchOver(
            REF,
            patch("[{'op':'replace','path':'/title','value':'c'}]"),
            List.of(sarah),
            current,
            Budget.unlimited());
    assertThat(JsonPatch.apply(current, rebased).document())
        .isEqualTo(json("{'title':'c','seo':'y'}"));
  }

  @Test
  void aPatchToTheSamePlaceIsRefusedNamingWhoChangedIt() {
    Revision sarah = by("Sarah", 8, patch("[{'op':'replace','path':'/title','value':'b'}]"));
    assertThatThrownBy(
            () ->
                Rebasing.patchOver(
                    REF,
                    patch("[{'op':'replace','path':'/title','value':'c'}]"),
                    List.of(sarah),
                    json("{'title':'b'}"),
                    Budget.unlimited()))
        .hasMessage("cannot rebase: your change to /title collides with v8 by Sarah (/title)")
        .satisfies(
            e -> {
              assertThat(problem(e)).isEqualTo(Problem.REBASE_CONFLICT);
              JsonNode conflict = ((StoreException) e).members().get("conflicts").get(0);
              assertThat(conflict.get("version").asLong()).isEqualTo(8);
              assertThat(conflict.get("author").get("id").asText()).isEqualTo("sarah");
            });
  }

  @Test
  void aPatchThatFailsOnItsOwnVersionIsAFailedPatch() {
    Revision sarah = by("Sarah", 8, patch("[{'op':'add','path':'/seo','value':'y'}]"));
    assertThatThrownBy(
            () ->
                Rebasing.patchOver(
                    REF,
                    patch("[{'op':'remove','path':'/missing'}]"),
                    List.of(sarah),
                    json("{'seo':'y'}"),
                    Budget.unlimited()))
        .satisfies(e -> assertThat(problem(e)).isEqualTo(Problem.PATCH_FAILED));
  }

  @Test
  void aSaveKeepsTheirChangesAndYours() {
    Revision sarah = by("Sarah", 8, patch("[{'op':'replace','path':'/seo','value':'y'}]"));
    JsonNode merged =
        Rebasing.saveOver(
            REF,
            json("{'title':'a','seo':'x'}"),
            json("{'title':'c','seo':'x'}"),
            List.of(sarah),
            json("{'title':'a','seo':'y'}"),
            Budget.unlimited());
    assertThat(merged).isEqualTo(json("{'title':'c','seo':'y'}"));
  }

  @Test
  void anUndoWithNothingLaterIsTheInverseAsItIs() throws Exception {
    Patch inverse = patch("[{'op':'replace','path':'/a','value':1}]");
    assertThat(
            Rebasing.undoOver(
                REF,
                inverse,
                List.of(),
                () -> {
                  throw new AssertionError("nothing to read");
                },
                json("{'a':2}"),
                Budget.unlimited()))
        .isEqualTo(inverse);
  }

  @Test
  void anUndoOverChangesThatCancelledOutGoesThrough() throws Exception {
    // v2 (undone) set a to 2; v3 set it to 3 and v4 back to 2
    Patch inverse = patch("[{'op':'replace','path':'/a','value':1}]");
    List<Revision> later =
        List.of(
            by("Bob", 3, patch("[{'op':'replace','path':'/a','value':3}]")),
            by("Bob", 4, patch("[{'op':'replace','path':'/a','value':2}]")));
    Patch undo =
        Rebasing.undoOver(
            REF, inverse, later, () -> json("{'a':2}"), json("{'a':2}"), Budget.unlimited());
    assertThat(JsonPatch.apply(json("{'a':2}"), undo).document()).isEqualTo(json("{'a':1}"));
  }

  @Test
  void anUndoOfAPlaceChangedSinceIsAnUndoConflict() {
    Patch inverse = patch("[{'op':'replace','path':'/a','value':1}]");
    List<Revision> later = List.of(by("Bob", 3, patch("[{'op':'replace','path':'/a','value':3}]")));
    assertThatThrownBy(
            () ->
                Rebasing.undoOver(
                    REF,
                    inverse,
                    later,
                    () -> json("{'a':2}"),
                    json("{'a':3}"),
                    Budget.unlimited()))
        .hasMessage("cannot undo: undoing your change to /a collides with v3 by Bob (/a)")
        .satisfies(e -> assertThat(problem(e)).isEqualTo(Problem.UNDO_CONFLICT));
  }

  @Test
  void aVersionConflictListsTheChangesSince() {
    List<Revision> since =
        List.of(
            by("Sarah", 8, patch("[{'op':'replace','path':'/title','value':'b'}]")),
            new Revision(
                REF,
                9,
                Kind.DELETE,
                new Author("bob", "Bob"),
                Instant.EPOCH,
                "gone",
                List.of(""),
                null,
                true,
                null,
                null,
                Patch.EMPTY,
                Patch.EMPTY));
    StoreException e = Refusals.stale(REF, 7, 9, since);
    assertThat(e.problem()).isEqualTo(Problem.VERSION_CONFLICT);
    assertThat(e.getMessage())
        .isEqualTo(
            "acme/app is at version 9, not 7; since then: v8 patch by Sarah /title,"
                + " v9 delete by Bob \"\"");
    assertThat(e.members().get("since")).hasSize(2);
    assertThat(e.members().get("since").get(1).get("message").asText()).isEqualTo("gone");
    assertThat(e.members().get("currentVersion").asLong()).isEqualTo(9);
  }
}
