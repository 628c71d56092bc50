package dev.cfgctl.patch;

import static dev.cfgctl.patch.PatchTestSupport.sq;
import static dev.cfgctl.patch.PatchTestSupport.sqJson;
import static dev.cfgctl.patch.PatchTestSupport.sqPatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Rebase.Conflict;
import dev.cfgctl.patch.Rebase.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table tests of {@link Rebase}: documents and patches written with single quotes. */
class RebaseTest {

  /**
   * Rebases {@code yours} over {@code theirs}, all written against {@code base}, and applies it.
   */
  private static Outcome rebase(String base, String yours, String... theirs) {
    JsonNode current = sqJson(base);
    List<Patch> their = new ArrayList<>();
    for (String t : theirs) {
      Patch p = sqPatch(t);
      their.add(p);
      current = JsonPatch.apply(current, p).document();
    }
    Result r = Rebase.rebase(sqPatch(yours), their, current);
    JsonNode result = r.hasConflicts() ? null : JsonPatch.apply(current, r.patch()).document();
    return new Outcome(r, result);
  }

  record Outcome(Result result, JsonNode document) {
    String patch() {
      assertThat(result.conflicts()).as("conflicts").isEmpty();
      return result.patch().toString();
    }

    String doc() {
      assertThat(result.conflicts()).as("conflicts").isEmpty();
      return Json.compact(document);
    }

    Conflict conflict() {
      assertThat(result.conflicts()).as("conflicts").hasSize(1);
      return result.conflicts().get(0);
    }
  }

  // ================================================================ index shifts

  @ParameterizedTest(name = "their {1} moves your replace of /a/2 to {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "[{'op':'add','path':'/a/0','value':'X'}]    | insert before  | /a/3",
        "[{'op':'add','path':'/a/1','value':'X'}]    | insert before  | /a/3",
        "[{'op':'add','path':'/a/2','value':'X'}]    | insert at      | /a/3",
        "[{'op':'add','path':'/a/3','value':'X'}]    | insert after   | /a/2",
        "[{'op':'add','path':'/a/-','value':'X'}]    | append         | /a/2",
        "[{'op':'remove','path':'/a/0'}]             | remove before  | /a/1",
        "[{'op':'remove','path':'/a/3'}]             | remove after   | /a/2",
        "[{'op':'move','from':'/a/0','path':'/a/3'}] | move across    | /a/1",
        "[{'op':'move','from':'/a/3','path':'/a/0'}] | move across    | /a/3",
        "[{'op':'move','from':'/a/2','path':'/a/0'}] | move of it     | /a/0",
        "[{'op':'replace','path':'/a/1','value':9}]  | replace beside | /a/2",
      })
  void theirInsertsRemovesAndMovesShiftYourIndex(String theirs, String what, String expected) {
    Outcome o = rebase("{'a':[0,1,2,3]}", "[{'op':'replace','path':'/a/2','value':'Y'}]", theirs);

    assertThat(o.patch()).isEqualTo(sq("[{'op':'replace','path':'" + expected + "','value':'Y'}]"));
  }

  @Test
  void yourInsertIsShiftedByTheirsBeforeAndStaysBeforeTheirsAfter() {
    assertThat(
            rebase(
                    "[0,1,2,3]",
                    "[{'op':'add','path':'/2','value':'Y'}]",
                    "[{'op':'remove','path':'/0'},{'op':'add','path':'/2','value':'X'}]")
                .doc())
        .isEqualTo("[1,\"Y\",2,\"X\",3]");
  }

  @Test
  void twoInsertsAtOneIndexKeepBothWithYoursAfterTheirs() {
    Outcome o =
        rebase(
            "[0,1]",
            "[{'op':'add','path':'/1','value':'Y'}]",
            "[{'op':'add','path':'/1','value':'X'}]");

    assertThat(o.doc()).isEqualTo("[0,\"X\",\"Y\",1]");
  }

  @Test
  void bothAppendingKeepsBothAndYoursStaysAnAppend() {
    Outcome o =
        rebase(
            "{'tags':['a']}",
            "[{'op':'add','path':'/tags/-','value':'mine'}]",
            "[{'op':'add','path':'/tags/-','value':'theirs'}]",
            "[{'op':'add','path':'/tags/1','value':'t2'}]");

    assertThat(o.doc()).isEqualTo(sq("{'tags':['a','t2','theirs','mine']}"));
    assertThat(o.patch()).isEqualTo(sq("[{'op':'add','path':'/tags/-','value':'mine'}]"));
  }

  @Test
  void yourRemoveOfAnElementFollowsItsIndex() {
    assertThat(
            rebase(
                    "[0,1,2,3]",
                    "[{'op':'remove','path':'/2'}]",
                    "[{'op':'add','path':'/0','value':'X'}]")
                .doc())
        .isEqualTo("[\"X\",0,1,3]");
  }

  @Test
  void laterOpsOfYourPatchAreShiftedInTheirOwnTerms() {
    // yours inserts at 0, then edits the old element 2 (now 3); theirs inserted before it
    Outcome o =
        rebase(
            "{'a':[{'v':0},{'v':1},{'v':2}]}",
            "[{'op':'add','path':'/a/0','value':{'v':'new'}},{'op':'replace','path':'/a/3/v','value':'Y'}]",
            "[{'op':'add','path':'/a/1','value':{'v':'X'}}]");

    assertThat(o.doc()).isEqualTo(sq("{'a':[{'v':'new'},{'v':0},{'v':'X'},{'v':1},{'v':'Y'}]}"));
  }

  @Test
  void nestedArraysShiftAtEveryLevel() {
    String base = "{'pages':[{'sections':[{'items':['a','b']},{'items':['c','d']}]}]}";
    Outcome o =
        rebase(
            base,
            "[{'op':'replace','path':'/pages/0/sections/1/items/1','value':'D'}]",
            "[{'op':'add','path':'/pages/0/sections/0','value':{'items':[]}}]",
            "[{'op':'add','path':'/pages/0/sections/2/items/0','value':'new'}]");

    assertThat(o.patch())
        .isEqualTo(sq("[{'op':'replace','path':'/pages/0/sections/2/items/2','value':'D'}]"));
  }

  @Test
  void objectMembersNamedLikeIndicesAreNotShifted() {
    Outcome o =
        rebase(
            "{'o':{'0':'a','1':'b'}}",
            "[{'op':'replace','path':'/o/1','value':'B'}]",
            "[{'op':'add','path':'/o/0','value':'A'}]");

    assertThat(o.patch()).isEqualTo(sq("[{'op':'replace','path':'/o/1','value':'B'}]"));
  }

  // ================================================================ moves

  @Test
  void theirRenameOfAMemberRenamesYourPath() {
    Outcome o =
        rebase(
            "{'seo':{'title':'a'}}",
            "[{'op':'replace','path':'/seo/title','value':'Y'}]",
            "[{'op':'move','from':'/seo','path':'/meta'}]");

    assertThat(o.patch()).isEqualTo(sq("[{'op':'replace','path':'/meta/title','value':'Y'}]"));
  }

  @Test
  void theirMoveOfASectionTakesYourEditInsideItAlong() {
    String base = "{'sections':[{'id':'a','h':'A'},{'id':'b','h':'B'},{'id':'c','h':'C'}]}";
    Outcome o =
        rebase(
            base,
            "[{'op':'replace','path':'/sections/2/h','value':'Y'}]",
            "[{'op':'move','from':'/sections/2','path':'/sections/0'}]");

    assertThat(o.patch()).isEqualTo(sq("[{'op':'replace','path':'/sections/0/h','value':'Y'}]"));
  }

  @Test
  void theirMoveOfAnAncestorIntoAnArrayRenamesYourPath() {
    Outcome o =
        rebase(
            "{'draft':{'x':{'v':1}},'list':[0,1]}",
            "[{'op':'replace','path':'/draft/x/v','value':2}]",
            "[{'op':'move','from':'/draft','path':'/list/1'}]");

    assertThat(o.patch()).isEqualTo(sq("[{'op':'replace','path':'/list/1/x/v','value':2}]"));
  }

  @Test
  void yourMoveCarriesTheirEditInsideTheMovedValue() {
    String base = "{'sections':[{'id':'a','h':'A'},{'id':'b','h':'B'}]}";
    Outcome o =
        rebase(
            base,
            "[{'op':'move','from':'/sections/1','path':'/sections/0'}]",
            "[{'op':'replace','path':'/sections/1/h','value':'their B'}]");

    assertThat(o.doc()).isEqualTo(sq("{'sections':[{'id':'b','h':'their B'},{'id':'a','h':'A'}]}"));
  }

  @Test
  void yourMoveIsShiftedByTheirInsertsAtBothEnds() {
    Outcome o =
        rebase(
            "[0,1,2,3,4]",
            "[{'op':'move','from':'/1','path':'/3'}]",
            "[{'op':'add','path':'/0','value':'X'},{'op':'add','path':'/5','value':'Z'}]");

    // 1 goes between 3 and 4, as it did in yours, after their Z there (yours after theirs)
    assertThat(o.doc()).isEqualTo("[\"X\",0,2,3,\"Z\",1,4]");
  }

  @Test
  void yourReplaceFollowsTheirMoveOfTheSameValue() {
    assertThat(
            rebase(
                    "{'a':1}",
                    "[{'op':'replace','path':'/a','value':2}]",
                    "[{'op':'move','from':'/a','path':'/b'}]")
                .doc())
        .isEqualTo(sq("{'b':2}"));
  }

  @Test
  void bothMovingOneValueConflict() {
    Conflict c =
        rebase(
                "{'a':1}",
                "[{'op':'move','from':'/a','path':'/c'}]",
                "[{'op':'move','from':'/a','path':'/b'}]")
            .conflict();

    assertThat(c).isEqualTo(new Conflict("/a", sqJson("1"), null, 0)); // theirs: followed to /b
  }

  @Test
  void theirRemoveOfWhatYouMoveConflicts() {
    assertThat(
            rebase(
                    "[0,1,2]",
                    "[{'op':'move','from':'/1','path':'/0'}]",
                    "[{'op':'remove','path':'/1'}]")
                .conflict()
                .path())
        .isEqualTo("/1");
  }

  // ================================================================ conflicts

  @Test
  void bothReplacingOneFieldConflictWithBothValues() {
    Conflict c =
        rebase(
                "{'seo':{'title':'a'}}",
                "[{'op':'replace','path':'/seo/title','value':'mine'}]",
                "[{'op':'add','path':'/theme','value':1}]",
                "[{'op':'replace','path':'/seo/title','value':'theirs'}]")
            .conflict();

    assertThat(c).isEqualTo(new Conflict("/seo/title", sqJson("'theirs'"), sqJson("'mine'"), 1));
  }

  @Test
  void bothMakingTheSameChangeConflicts() {
    // a read-modify-write on a stale value (two increments from 5 to 6) is not a change of its own
    Result r =
        rebase(
                "{'t':'a','u':[1,2],'n':5}",
                "[{'op':'replace','path':'/t','value':'b'},{'op':'remove','path':'/u/0'},"
                    + "{'op':'replace','path':'/n','value':6}]",
                "[{'op':'replace','path':'/t','value':'b'},{'op':'remove','path':'/u/0'},"
                    + "{'op':'replace','path':'/n','value':6}]")
            .result();

    assertThat(r.conflicts()).extracting(Conflict::path).containsExactly("/t", "/u/0", "/n");
    assertThat(r.conflicts().get(2)).isEqualTo(new Conflict("/n", sqJson("6"), sqJson("6"), 0));
  }

  @Test
  void theirReplaceOfAnAncestorConflictsWithYourEditBelowIt() {
    Conflict c =
        rebase(
                "{'seo':{'title':'a','kw':[]}}",
                "[{'op':'add','path':'/seo/kw/-','value':'x'}]",
                "[{'op':'replace','path':'/seo','value':{'title':'b'}}]")
            .conflict();

    assertThat(c).isEqualTo(new Conflict("/seo/kw/-", null, sqJson("'x'"), 0));
  }

  @Test
  void yourReplaceOfAnAncestorConflictsWithTheirEditBelowIt() {
    Conflict c =
        rebase(
                "{'seo':{'title':'a'}}",
                "[{'op':'replace','path':'/seo','value':{}}]",
                "[{'op':'replace','path':'/seo/title','value':'b'}]")
            .conflict();

    assertThat(c).isEqualTo(new Conflict("/seo", sqJson("{'title':'b'}"), sqJson("{}"), 0));
  }

  @Test
  void theirRemoveOfAnElementYouModifyConflicts() {
    Conflict c =
        rebase(
                "{'s':[{'h':'A'},{'h':'B'}]}",
                "[{'op':'replace','path':'/s/1/h','value':'Y'}]",
                "[{'op':'add','path':'/s/0','value':{'h':'new'}}]",
                "[{'op':'remove','path':'/s/2'}]")
            .conflict();

    assertThat(c).isEqualTo(new Conflict("/s/1/h", null, sqJson("'Y'"), 1));
  }

  @Test
  void yourRemoveOfAnElementTheyModifiedConflicts() {
    Conflict c =
        rebase(
                "{'s':[{'h':'A'},{'h':'B'}]}",
                "[{'op':'remove','path':'/s/1'}]",
                "[{'op':'replace','path':'/s/1/h','value':'Z'}]")
            .conflict();

    assertThat(c).isEqualTo(new Conflict("/s/1", sqJson("{'h':'Z'}"), null, 0));
  }

  @Test
  void yourInsertIntoAnArrayTheyReplacedConflicts() {
    assertThat(
            rebase(
                    "{'a':[1]}",
                    "[{'op':'add','path':'/a/0','value':0}]",
                    "[{'op':'replace','path':'/a','value':[]}]")
                .conflict()
                .path())
        .isEqualTo("/a/0");
  }

  @Test
  void yourTestOfSomethingTheyChangedConflicts() {
    Conflict c =
        rebase(
                "{'v':1,'x':0}",
                "[{'op':'test','path':'/v','value':1},{'op':'replace','path':'/x','value':1}]",
                "[{'op':'replace','path':'/v','value':2}]")
            .conflict();

    assertThat(c).isEqualTo(new Conflict("/v", sqJson("2"), sqJson("1"), 0));
  }

  @Test
  void yourTestOfAContainerTheyChangedInsideConflicts() {
    assertThat(
            rebase(
                    "{'a':[1,2]}",
                    "[{'op':'test','path':'/a','value':[1,2]}]",
                    "[{'op':'add','path':'/a/-','value':3}]")
                .conflict()
                .path())
        .isEqualTo("/a");
  }

  @Test
  void yourTestOfAnUntouchedElementFollowsItsIndex() {
    assertThat(
            rebase(
                    "[1,2]",
                    "[{'op':'test','path':'/1','value':2},{'op':'remove','path':'/1'}]",
                    "[{'op':'add','path':'/0','value':0}]")
                .patch())
        .isEqualTo(sq("[{'op':'test','path':'/2','value':2},{'op':'remove','path':'/2'}]"));
  }

  @Test
  void theFromOfYourCopyCountsAsTouched() {
    assertThat(
            rebase(
                    "{'a':{'x':1}}",
                    "[{'op':'copy','from':'/a','path':'/b'}]",
                    "[{'op':'replace','path':'/a/x','value':2}]")
                .conflict()
                .path())
        .isEqualTo("/a");
  }

  @Test
  void conflictsAreReportedForEveryConflictingOpOfYours() {
    Result r =
        rebase(
                "{'a':1,'b':2,'c':3}",
                "[{'op':'replace','path':'/a','value':10},{'op':'replace','path':'/b','value':20},{'op':'remove','path':'/c'}]",
                "[{'op':'remove','path':'/c'}]",
                "[{'op':'replace','path':'/a','value':11}]")
            .result();

    assertThat(r.conflicts())
        .containsExactly(
            new Conflict("/a", sqJson("11"), sqJson("10"), 1), new Conflict("/c", null, null, 0));
    r =
        rebase(
                "{'a':1,'b':2}",
                "[{'op':'replace','path':'/a','value':10},{'op':'replace','path':'/b','value':20}]",
                "[{'op':'remove','path':'/b'}]",
                "[{'op':'replace','path':'/a','value':11}]")
            .result();
    assertThat(r.conflicts())
        .extracting(Conflict::path, Conflict::theirsIndex)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/a", 1),
            org.assertj.core.groups.Tuple.tuple("/b", 0));
  }

  @Test
  void keysWithTildeAndSlashAreMatchedExactly() {
    String base = "{'a/b':{'~':[0,1]},'a':{'b':{'~':[0,1]}}}";
    assertThat(
            rebase(
                    base,
                    "[{'op':'replace','path':'/a~1b/~0/1','value':'Y'}]",
                    "[{'op':'add','path':'/a~1b/~0/0','value':'X'}]")
                .patch())
        .isEqualTo(sq("[{'op':'replace','path':'/a~1b/~0/2','value':'Y'}]"));
    assertThat(
            rebase(
                    base,
                    "[{'op':'replace','path':'/a~1b/~0/1','value':'Y'}]",
                    "[{'op':'add','path':'/a/b/~0/0','value':'X'}]")
                .patch())
        .isEqualTo(sq("[{'op':'replace','path':'/a~1b/~0/1','value':'Y'}]"));
    assertThat(
            rebase(
                    base,
                    "[{'op':'replace','path':'/a~1b/~0','value':'Y'}]",
                    "[{'op':'replace','path':'/a~1b/~0/0','value':'X'}]")
                .conflict()
                .path())
        .isEqualTo("/a~1b/~0");
  }

  // ================================================================ chains, edge cases

  @Test
  void aChainOfTheirPatchesShiftsAndRenamesCumulatively() {
    Outcome o =
        rebase(
            "{'list':[{'n':0},{'n':1},{'n':2}]}",
            "[{'op':'replace','path':'/list/1/n','value':'Y'}]",
            "[{'op':'add','path':'/list/0','value':{'n':'a'}}]",
            "[{'op':'move','from':'/list','path':'/items'}]",
            "[{'op':'remove','path':'/items/0'},{'op':'add','path':'/items/0','value':{'n':'b'}},{'op':'add','path':'/items/0','value':{'n':'c'}}]",
            "[{'op':'move','from':'/items/4','path':'/items/0'}]");

    assertThat(o.patch()).isEqualTo(sq("[{'op':'replace','path':'/items/4/n','value':'Y'}]"));
    assertThat(o.doc()).isEqualTo(sq("{'items':[{'n':2},{'n':'c'},{'n':'b'},{'n':0},{'n':'Y'}]}"));
  }

  @Test
  void theirMoveOutOfANestedArrayShiftsItEvenWhenTheMoveShiftsItsAncestor() {
    // the move's insert at /x/1 shifts the array the value came from to /x/3
    Outcome o =
        rebase(
            "{'x':['s',{'o':1},[0,[0,null,0]]]}",
            "[{'op':'add','path':'/x/2/1/2','value':'B'}]",
            "[{'op':'move','from':'/x/2/1/1','path':'/x/1'}]");

    assertThat(o.doc()).isEqualTo(sq("{'x':['s',null,{'o':1},[0,[0,'B',0]]]}"));
  }

  @Test
  void theirMoveOfAnElementOntoAMemberOfALaterOneIsUndoneInTheRightTerms() {
    // rebuilding version n must mark /items/1/id (after the removal) as overwritten, not
    // /items/2/id
    Outcome o =
        rebase(
            "{'items':[{'id':4},{'id':3},{'id':2}]}",
            "[{'op':'test','path':'/items/2/id','value':2}]",
            "[{'op':'move','from':'/items/0','path':'/items/1/id'}]",
            "[{'op':'remove','path':'/items/0/id'}]");

    assertThat(o.conflict())
        .isEqualTo(new Conflict("/items/2/id", sqJson("{'id':4}"), sqJson("2"), 0));
  }

  @Test
  void yourMoveOntoAMemberOfWhatTheyReplacedConflicts() {
    // yours' path /a/1/id is in terms of the array without /a/0: their replaced element
    Conflict c =
        rebase(
                "{'a':[{'id':1},{'id':2},{'id':3}]}",
                "[{'op':'move','from':'/a/0','path':'/a/1/id'}]",
                "[{'op':'replace','path':'/a/2','value':'x'}]")
            .conflict();

    assertThat(c).isEqualTo(new Conflict("/a/1/id", null, sqJson("{'id':1}"), 0));
  }

  @Test
  void noTheirPatchesLeavesYoursAsItIs() {
    Patch yours =
        sqPatch("[{'op':'add','path':'/a/-','value':1},{'op':'move','from':'/a/0','path':'/b'}]");
    Result r = Rebase.rebase(yours, List.of(), sqJson("{'a':[0]}"));

    assertThat(r.patch()).isEqualTo(yours);
  }

  @Test
  void aPatchThatDoesNotApplyToItsOwnBaseIsRefused() {
    assertThatThrownBy(
            () ->
                rebase(
                    "{'a':1}",
                    "[{'op':'remove','path':'/b'}]",
                    "[{'op':'replace','path':'/a','value':2}]"))
        .isInstanceOf(PatchFailedException.class)
        .hasMessage(
            "op 0 (remove /b): path /b does not exist (in the version the patch was based on)");
  }

  @Test
  void yourOpsOnWhatTheyAddedConflict() {
    assertThat(
            rebase(
                    "{}",
                    "[{'op':'add','path':'/a','value':1}]",
                    "[{'op':'add','path':'/a','value':2}]")
                .conflict())
        .isEqualTo(new Conflict("/a", sqJson("2"), sqJson("1"), 0));
  }

  @Test
  void theirTestsDoNotConflict() {
    assertThat(
            rebase(
                    "{'a':1}",
                    "[{'op':'replace','path':'/a','value':3}]",
                    "[{'op':'test','path':'/a','value':1}]")
                .doc())
        .isEqualTo(sq("{'a':3}"));
  }

  @Test
  void replacingTheWholeDocumentConflictsWithAnyChange() {
    assertThat(
            rebase(
                    "{'a':1}",
                    "[{'op':'replace','path':'','value':{}}]",
                    "[{'op':'add','path':'/b','value':1}]")
                .conflict()
                .path())
        .isEqualTo("");
    assertThat(
            rebase(
                    "{'a':1}",
                    "[{'op':'add','path':'/b','value':1}]",
                    "[{'op':'replace','path':'','value':{}}]")
                .conflict()
                .path())
        .isEqualTo("/b");
  }

  // ================================================================ merge

  @Test
  void mergeOfAReorderKeepsTheirEditInsideAMovedSection() {
    JsonNode base =
        sqJson("{'sections':[{'id':'a','h':'A'},{'id':'b','h':'B'},{'id':'c','h':'C'}]}");
    JsonNode yours =
        sqJson("{'sections':[{'id':'c','h':'C'},{'id':'a','h':'A'},{'id':'b','h':'B'}]}");
    Patch theirs = sqPatch("[{'op':'replace','path':'/sections/2/h','value':'their C'}]");
    JsonNode current = JsonPatch.apply(base, theirs).document();

    Result r = Rebase.merge(base, yours, List.of(theirs), current);

    assertThat(JsonPatch.apply(current, r.patch()).document())
        .isEqualTo(
            sqJson(
                "{'sections':[{'id':'c','h':'their C'},{'id':'a','h':'A'},{'id':'b','h':'B'}]}"));
  }

  @Test
  void mergeOfEditsToDifferentFieldsKeepsBoth() {
    JsonNode base = sqJson("{'seo':{'title':'t'},'theme':{'primary':'#000'},'tags':['a']}");
    JsonNode yours = sqJson("{'seo':{'title':'mine'},'theme':{'primary':'#000'},'tags':['a','b']}");
    Patch theirs =
        sqPatch(
            "[{'op':'replace','path':'/theme/primary','value':'#fff'},{'op':'add','path':'/tags/0','value':'z'}]");
    JsonNode current = JsonPatch.apply(base, theirs).document();

    Result r = Rebase.merge(base, yours, List.of(theirs), current);

    assertThat(JsonPatch.apply(current, r.patch()).document())
        .isEqualTo(
            sqJson("{'seo':{'title':'mine'},'theme':{'primary':'#fff'},'tags':['z','a','b']}"));
  }

  @Test
  void mergeOfEditsToOneFieldConflicts() {
    JsonNode base = sqJson("{'seo':{'title':'t'}}");
    Patch theirs = sqPatch("[{'op':'replace','path':'/seo/title','value':'theirs'}]");

    Result r =
        Rebase.merge(
            base,
            sqJson("{'seo':{'title':'mine'}}"),
            List.of(theirs),
            JsonPatch.apply(base, theirs).document());

    assertThat(r.conflicts())
        .containsExactly(new Conflict("/seo/title", sqJson("'theirs'"), sqJson("'mine'"), 0));
  }

  @Test
  void mergeDoesNotCarryTheirValueToAKeyYouAddedWithAnEqualScalar() {
    // yours drops 'old' and adds 'new' with the same value: the diff sees a move, but it may not be
    // one
    JsonNode base = sqJson("{'old':true}");
    Patch theirs = sqPatch("[{'op':'replace','path':'/old','value':false}]");

    Result r =
        Rebase.merge(
            base,
            sqJson("{'new':true}"),
            List.of(theirs),
            JsonPatch.apply(base, theirs).document());

    assertThat(r.conflicts()).extracting(Conflict::path).containsExactly("/old");
  }
}
