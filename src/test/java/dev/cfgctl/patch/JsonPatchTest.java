package dev.cfgctl.patch;

import static dev.cfgctl.patch.PatchTestSupport.compact;
import static dev.cfgctl.patch.PatchTestSupport.json;
import static dev.cfgctl.patch.PatchTestSupport.sq;
import static dev.cfgctl.patch.PatchTestSupport.sqJson;
import static dev.cfgctl.patch.PatchTestSupport.sqPatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Atomicity, inverses, {@code test} equality and exact numbers of the RFC 6902 engine. */
class JsonPatchTest {
  private static final String DOC = "{'a':1,'b':[1,2,3],'c':{'d':'x','e':[true,null]},'f':'s'}";

  // ---------------------------------------------------------------- atomicity

  static Stream<Arguments> patchesFailingAtOpTwo() {
    return Stream.of(
        arguments(
            "[{'op':'replace','path':'/a','value':2},{'op':'add','path':'/b/-','value':4},"
                + "{'op':'remove','path':'/missing'}]",
            "op 2 (remove /missing): path /missing does not exist"),
        arguments(
            "[{'op':'remove','path':'/b/0'},{'op':'replace','path':'/c/d','value':'y'},"
                + "{'op':'test','path':'/c/d','value':'x'}]",
            "op 2 (test /c/d): test failed: expected \"x\", found \"y\""),
        arguments(
            "[{'op':'move','from':'/b/0','path':'/b/2'},{'op':'copy','from':'/b','path':'/c/e/0'},"
                + "{'op':'replace','path':'/b/3','value':0}]",
            "op 2 (replace /b/3): index 3 is out of bounds in /b/3 (array size 3)"),
        arguments(
            "[{'op':'replace','path':'','value':{'new':'root'}},{'op':'add','path':'/new','value':[]},"
                + "{'op':'test','path':'/a','value':1}]",
            "op 2 (test /a): test failed: path /a does not exist"),
        arguments(
            "[{'op':'remove','path':'/c/e/1'},{'op':'move','from':'/c/e/0','path':'/b/0'},"
                + "{'op':'copy','from':'/c/e/0','path':'/z'}]",
            "op 2 (copy /c/e/0 -> /z): path /c/e/0 does not exist"),
        arguments(
            "[{'op':'add','path':'/b/1','value':{'k':1}},{'op':'add','path':'/b/1/k','value':2},"
                + "{'op':'move','from':'/b','path':'/b/0'}]",
            "op 2 (move /b -> /b/0): cannot move /b into its own child /b/0"),
        arguments(
            "[{'op':'add','path':'/nested','value':{}},{'op':'add','path':'/nested/x','value':1},"
                + "{'op':'remove','path':''}]",
            "op 2 (remove \"\"): cannot remove the whole document (use replace)"),
        arguments(
            "[{'op':'move','from':'/c','path':''},{'op':'test','path':'/d','value':'x'},"
                + "{'op':'test','path':'/zzz','value':1}]",
            "op 2 (test /zzz): test failed: path /zzz does not exist"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("patchesFailingAtOpTwo")
  void patchFailingAtOpTwoLeavesTheDocumentUntouched(String patch, String message) {
    JsonNode pristine = sqJson(DOC);
    Patch p = sqPatch(patch);

    JsonNode copyTarget = sqJson(DOC);
    assertThatThrownBy(() -> JsonPatch.apply(copyTarget, p))
        .isInstanceOf(PatchFailedException.class)
        .hasMessage(message);
    assertSameValue(copyTarget, pristine, "apply() input after a failed patch");

    JsonNode inPlace = sqJson(DOC);
    assertThatThrownBy(() -> JsonPatch.applyInPlace(inPlace, p))
        .isInstanceOfSatisfying(
            PatchFailedException.class,
            e -> {
              assertThat(e.opIndex()).isEqualTo(2);
              assertThat(e.op()).isEqualTo(p.ops().get(2));
              assertThat(e.getMessage()).isEqualTo(message);
            });
    assertSameValue(inPlace, pristine, "applyInPlace() document after a failed patch");
  }

  @Test
  void failedPatchAfterAddingAnObjectMemberRestoresTheDocument() {
    JsonNode doc = sqJson(DOC);
    Patch p =
        sqPatch(
            "[{'op':'add','path':'/new','value':1},{'op':'add','path':'/c/d','value':'y'},"
                + "{'op':'test','path':'/a','value':2}]");

    assertThatThrownBy(() -> JsonPatch.applyInPlace(doc, p))
        .isInstanceOf(PatchFailedException.class)
        .hasMessage("op 2 (test /a): test failed: expected 2, found 1");

    assertSameValue(doc, sqJson(DOC), "document after rolling back two object adds");
  }

  @Test
  void failedMoveDoesNotLoseTheMovedValue() {
    JsonNode doc = sqJson("{'a':{'keep':'me'},'list':[1,2]}");
    Patch toMissingParent = sqPatch("[{'op':'move','from':'/a','path':'/missing/x'}]");
    Patch pastTheEnd = sqPatch("[{'op':'move','from':'/list/0','path':'/list/5'}]");

    assertThatThrownBy(() -> JsonPatch.applyInPlace(doc, toMissingParent))
        .isInstanceOf(PatchFailedException.class)
        .hasMessage("op 0 (move /a -> /missing/x): path /missing does not exist");
    assertSameValue(
        doc, sqJson("{'a':{'keep':'me'},'list':[1,2]}"), "after a move to a missing parent");

    assertThatThrownBy(() -> JsonPatch.applyInPlace(doc, pastTheEnd))
        .isInstanceOf(PatchFailedException.class)
        .hasMessage(
            "op 0 (move /list/0 -> /list/5): index 5 is out of bounds in /list/5 (array size 1)");
    assertSameValue(doc, sqJson("{'a':{'keep':'me'},'list':[1,2]}"), "after a move past the end");
  }

  @Test
  void failedPatchKeepsObjectMemberOrder() {
    String text = sq("{'a':1,'b':2,'c':3}");
    JsonNode doc = json(text);
    Patch p = sqPatch("[{'op':'remove','path':'/b'},{'op':'test','path':'/a','value':5}]");

    assertThatThrownBy(() -> JsonPatch.applyInPlace(doc, p))
        .isInstanceOf(PatchFailedException.class);

    assertThat(compact(doc)).as("the document text after a failed patch").isEqualTo(text);
  }

  @Test
  void successfulApplyNeverChangesItsInput() {
    JsonNode doc = sqJson(DOC);
    JsonPatch.apply(
        doc,
        sqPatch(
            "[{'op':'remove','path':'/b/0'},{'op':'add','path':'/c/d','value':9},"
                + "{'op':'move','from':'/a','path':'/z'},{'op':'replace','path':'','value':[]}]"));

    assertThat(compact(doc)).isEqualTo(compact(sqJson(DOC)));
  }

  @Test
  void emptyPatchIsIdentityWithEmptyInverse() {
    JsonPatch.Applied applied = JsonPatch.apply(sqJson(DOC), Patch.EMPTY);

    assertThat(applied.document()).isEqualTo(sqJson(DOC));
    assertThat(applied.inverse().isEmpty()).isTrue();
  }

  // ---------------------------------------------------------------- inverses

  static Stream<Arguments> inverses() {
    return Stream.of(
        arguments(
            "add a new member",
            "[{'op':'add','path':'/x','value':[1]}]",
            "[{'op':'remove','path':'/x'}]"),
        arguments(
            "add a new nested member",
            "[{'op':'add','path':'/c/y','value':{'z':0}}]",
            "[{'op':'remove','path':'/c/y'}]"),
        arguments(
            "add over an existing member",
            "[{'op':'add','path':'/a','value':'one'}]",
            "[{'op':'replace','path':'/a','value':1}]"),
        arguments(
            "add into an array",
            "[{'op':'add','path':'/b/1','value':9}]",
            "[{'op':'remove','path':'/b/1'}]"),
        arguments(
            "add at the - index",
            "[{'op':'add','path':'/b/-','value':9}]",
            "[{'op':'remove','path':'/b/3'}]"),
        arguments(
            "add at the root",
            "[{'op':'add','path':'','value':'scalar'}]",
            "[{'op':'replace','path':'','value':" + DOC + "}]"),
        arguments(
            "remove a member",
            "[{'op':'remove','path':'/c'}]",
            "[{'op':'add','path':'/c','value':{'d':'x','e':[true,null]}}]"),
        arguments(
            "remove an array element",
            "[{'op':'remove','path':'/b/0'}]",
            "[{'op':'add','path':'/b/0','value':1}]"),
        arguments(
            "remove the last array element",
            "[{'op':'remove','path':'/b/2'}]",
            "[{'op':'add','path':'/b/2','value':3}]"),
        arguments(
            "replace a member",
            "[{'op':'replace','path':'/f','value':{'t':1}}]",
            "[{'op':'replace','path':'/f','value':'s'}]"),
        arguments(
            "replace an array element",
            "[{'op':'replace','path':'/b/1','value':null}]",
            "[{'op':'replace','path':'/b/1','value':2}]"),
        arguments(
            "replace the root",
            "[{'op':'replace','path':'','value':[1,2]}]",
            "[{'op':'replace','path':'','value':" + DOC + "}]"),
        arguments(
            "move to a new member",
            "[{'op':'move','from':'/a','path':'/c/z'}]",
            "[{'op':'move','from':'/c/z','path':'/a'}]"),
        arguments(
            "move onto an existing member",
            "[{'op':'move','from':'/a','path':'/f'}]",
            "[{'op':'move','from':'/f','path':'/a'},{'op':'add','path':'/f','value':'s'}]"),
        arguments(
            "move onto an existing nested member",
            "[{'op':'move','from':'/f','path':'/c/d'}]",
            "[{'op':'move','from':'/c/d','path':'/f'},{'op':'add','path':'/c/d','value':'x'}]"),
        arguments(
            "move forward within one array",
            "[{'op':'move','from':'/b/0','path':'/b/2'}]",
            "[{'op':'move','from':'/b/2','path':'/b/0'}]"),
        arguments(
            "move backward within one array",
            "[{'op':'move','from':'/b/2','path':'/b/0'}]",
            "[{'op':'move','from':'/b/0','path':'/b/2'}]"),
        arguments(
            "move to the - index of its own array",
            "[{'op':'move','from':'/b/0','path':'/b/-'}]",
            "[{'op':'move','from':'/b/2','path':'/b/0'}]"),
        arguments(
            "move between arrays",
            "[{'op':'move','from':'/c/e/0','path':'/b/1'}]",
            "[{'op':'move','from':'/b/1','path':'/c/e/0'}]"),
        arguments(
            "move an array element to a member",
            "[{'op':'move','from':'/b/1','path':'/c/n'}]",
            "[{'op':'move','from':'/c/n','path':'/b/1'}]"),
        arguments("move onto itself", "[{'op':'move','from':'/c','path':'/c'}]", "[]"),
        arguments("move a member to the root", "[{'op':'move','from':'/c','path':''}]", null),
        arguments(
            "move a member onto the root, then edit the new root",
            "[{'op':'move','from':'/c','path':''},{'op':'add','path':'/y','value':2}]",
            "[{'op':'remove','path':'/y'},{'op':'replace','path':'','value':{'a':1,'b':[1,2,3],'f':'s'}},"
                + "{'op':'add','path':'/c','value':{'d':'x','e':[true,null]}}]"),
        arguments(
            "move a member onto its parent, then edit it",
            "[{'op':'move','from':'/c/e','path':'/c'},{'op':'add','path':'/c/-','value':5}]",
            "[{'op':'remove','path':'/c/2'},{'op':'replace','path':'/c','value':{'d':'x'}},"
                + "{'op':'add','path':'/c/e','value':[true,null]}]"),
        arguments(
            "copy to a new member",
            "[{'op':'copy','from':'/c','path':'/c2'}]",
            "[{'op':'remove','path':'/c2'}]"),
        arguments(
            "copy into its own child",
            "[{'op':'copy','from':'/c','path':'/c/self'}]",
            "[{'op':'remove','path':'/c/self'}]"),
        arguments(
            "copy into an array",
            "[{'op':'copy','from':'/a','path':'/b/1'}]",
            "[{'op':'remove','path':'/b/1'}]"),
        arguments(
            "copy to the - index",
            "[{'op':'copy','from':'/c','path':'/b/-'}]",
            "[{'op':'remove','path':'/b/3'}]"),
        arguments(
            "copy onto an existing member",
            "[{'op':'copy','from':'/b','path':'/a'}]",
            "[{'op':'replace','path':'/a','value':1}]"),
        arguments("test", "[{'op':'test','path':'/c/e','value':[true,null]}]", "[]"),
        arguments(
            "a sequence of every kind",
            "[{'op':'add','path':'/b/0','value':0},{'op':'remove','path':'/f'},"
                + "{'op':'replace','path':'/a','value':2},{'op':'move','from':'/b/3','path':'/b/0'},"
                + "{'op':'copy','from':'/b','path':'/c/e/-'},{'op':'test','path':'/a','value':2.0},"
                + "{'op':'move','from':'/c/d','path':'/a'},{'op':'add','path':'/b/-','value':'end'}]",
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inverses")
  void inverseRestoresTheOriginalDocument(String name, String patch, String expectedInverse) {
    JsonNode original = sqJson(DOC);
    Patch p = sqPatch(patch);

    JsonPatch.Applied applied = JsonPatch.apply(original, p);
    JsonNode patched = applied.document().deepCopy();
    if (expectedInverse != null) {
      assertThat(applied.inverse().toJson())
          .as("inverse of %s", name)
          .isEqualTo(sqJson(expectedInverse));
    }

    JsonPatch.Applied undone = JsonPatch.apply(applied.document(), applied.inverse());
    assertSameValue(undone.document(), original, "after applying the inverse of " + name);
    assertSameValue(
        JsonPatch.apply(undone.document(), undone.inverse()).document(),
        patched,
        "after applying the inverse of the inverse of " + name);

    JsonNode inPlace = sqJson(DOC);
    JsonPatch.Applied appliedInPlace = JsonPatch.applyInPlace(inPlace, p);
    assertSameValue(appliedInPlace.document(), patched, "applyInPlace result of " + name);
    assertSameValue(
        JsonPatch.applyInPlace(appliedInPlace.document(), appliedInPlace.inverse()).document(),
        original,
        "after applying the inverse in place of " + name);
  }

  @Test
  void inverseOfAMoveDoesNotCarryTheMovedValue() {
    JsonNode big = sqJson("{'from':{'payload':[1,2,3,4,5,6,7,8,9,10]},'to':{}}");

    Patch inverse =
        JsonPatch.apply(big, sqPatch("[{'op':'move','from':'/from','path':'/to/x'}]")).inverse();

    assertThat(inverse.ops()).extracting(PatchOp::op).containsExactly(PatchOp.Kind.MOVE);
  }

  @Test
  void inverseIsNotChangedByLaterEditsOfTheDocument() {
    JsonNode doc = sqJson(DOC);
    JsonPatch.Applied first =
        JsonPatch.applyInPlace(doc, sqPatch("[{'op':'move','from':'/c','path':''}]"));
    String inverseBefore = first.inverse().toString();

    JsonPatch.Applied second =
        JsonPatch.applyInPlace(
            first.document(),
            sqPatch(
                "[{'op':'add','path':'/later','value':1},{'op':'add','path':'/e/-','value':2}]"));

    assertThat(first.inverse().toString()).as("the first patch's inverse").isEqualTo(inverseBefore);
    JsonNode back =
        JsonPatch.apply(
                JsonPatch.apply(second.document(), second.inverse()).document(), first.inverse())
            .document();
    assertSameValue(back, sqJson(DOC), "after undoing both patches");
  }

  // ---------------------------------------------------------------- test equality

  static Stream<Arguments> testEquality() {
    return Stream.of(
        arguments("1", "1.0", true),
        arguments("1.0", "1", true),
        arguments("1e2", "100", true),
        arguments("100", "1E+2", true),
        arguments("-0", "0", true),
        arguments("0.0", "-0", true),
        arguments("2.50", "2.5", true),
        arguments("18446744073709551616", "1.8446744073709551616e19", true),
        arguments("18446744073709551616", "18446744073709551617", false),
        arguments("1", "1.0000000000000000000001", false),
        arguments("10", "'10'", false),
        arguments("'1.0'", "'1'", false),
        arguments("true", "1", false),
        arguments("null", "0", false),
        arguments("null", "null", true),
        arguments("{}", "[]", false),
        arguments("[1,{'x':2.50}]", "[1.0,{'x':2.5}]", true),
        arguments("[1,2]", "[2,1]", false),
        arguments("[1,2]", "[1,2,2]", false),
        arguments("{'a':1,'b':[0]}", "{'b':[0.0],'a':1}", true),
        arguments("{'a':1}", "{'a':1,'b':null}", false),
        arguments("'\\u00e9'", "'\u00e9'", true));
  }

  @ParameterizedTest(name = "{0} vs {1}")
  @MethodSource("testEquality")
  void testComparesNumbersByValueAndEverythingElseExactly(
      String actual, String expected, boolean equal) {
    JsonNode doc = sqJson("{'v':" + actual + "}");
    Patch test = sqPatch("[{'op':'test','path':'/v','value':" + expected + "}]");

    assertThat(Json.valueEquals(doc.get("v"), sqJson(expected))).isEqualTo(equal);
    assertThat(Json.valueEquals(sqJson(expected), doc.get("v"))).as("symmetric").isEqualTo(equal);
    if (equal) {
      assertThat(JsonPatch.apply(doc, test).document()).isEqualTo(doc);
    } else {
      assertThatThrownBy(() -> JsonPatch.apply(doc, test))
          .isInstanceOfSatisfying(
              PatchFailedException.class,
              e -> {
                assertThat(e.isTestFailure()).isTrue();
                assertThat(e.reason()).startsWith("test failed: expected ");
              });
    }
  }

  @Test
  void testFailureOnAMissingPathSaysSo() {
    assertThatThrownBy(
            () ->
                JsonPatch.apply(sqJson(DOC), sqPatch("[{'op':'test','path':'/c/nope','value':1}]")))
        .isInstanceOf(PatchFailedException.class)
        .hasMessage("op 0 (test /c/nope): test failed: path /c/nope does not exist");
  }

  @Test
  void testFailureMessageCutsLongValuesShort() {
    String longText = "x".repeat(200);
    JsonNode doc = sqJson("{'v':'" + longText + "'}");

    assertThatThrownBy(
            () -> JsonPatch.apply(doc, sqPatch("[{'op':'test','path':'/v','value':'y'}]")))
        .isInstanceOf(PatchFailedException.class)
        .hasMessage(
            "op 0 (test /v): test failed: expected \"y\", found \"" + "x".repeat(56) + "...");
  }

  // ---------------------------------------------------------------- exact numbers

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "0",
        "-1",
        "1.0",
        "-0",
        "-0.0",
        "0.10",
        "1e2",
        "1E+2",
        "1e-2",
        "1.5e-10",
        "2147483647",
        "2147483648",
        "-2147483649",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551616",
        "-18446744073709551617",
        "123456789012345678901234567890",
        "3.141592653589793238462643383279502884197"
      })
  void numberTextSurvivesParseAndWrite(String number) {
    String doc = "{\"n\":" + number + ",\"a\":[" + number + "]}";

    JsonNode parsed = json(doc);

    assertThat(compact(parsed)).isEqualTo(doc);
    assertThat(Json.write(parsed, true))
        .contains("\"n\": " + number + ",")
        .contains("    " + number + "\n");
    assertThat(compact(json(compact(parsed)))).isEqualTo(doc);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"1.0", "1e2", "-0", "18446744073709551616", "0.30000000000000000000000001"})
  void numberTextSurvivesPatchAndDiff(String number) {
    JsonNode doc = sqJson("{'a':1}");
    Patch p =
        patchFromText(
            "[{\"op\":\"add\",\"path\":\"/n\",\"value\":"
                + number
                + "},"
                + "{\"op\":\"copy\",\"from\":\"/n\",\"path\":\"/m\"}]");

    JsonNode patched = JsonPatch.apply(doc, p).document();

    assertThat(compact(patched)).isEqualTo("{\"a\":1,\"n\":" + number + ",\"m\":" + number + "}");
    assertThat(Json.compact(JsonDiff.diff(doc, patched).toJson()))
        .isEqualTo(
            "[{\"op\":\"add\",\"path\":\"/n\",\"value\":"
                + number
                + "},"
                + "{\"op\":\"add\",\"path\":\"/m\",\"value\":"
                + number
                + "}]");
    assertThat(compact(Patch.fromJson(json(compact(p.toJson()))).toJson()))
        .isEqualTo(compact(p.toJson()));
  }

  @Test
  void numbersWithDifferentTextAreDifferentDocuments() {
    assertThat(json("1")).isNotEqualTo(json("1.0"));
    assertThat(json("[1e2]")).isNotEqualTo(json("[100]"));
    assertThat(json("-0")).isNotEqualTo(json("0"));
    assertThat(json("{\"n\":1.0}")).isEqualTo(json("{\"n\":1.0}"));
    assertThat(JsonDiff.diff(json("{\"n\":1}"), json("{\"n\":1.0}")).toJson())
        .isEqualTo(json("[{\"op\":\"replace\",\"path\":\"/n\",\"value\":1.0}]"));
  }

  @Test
  void exactNumberNodeReportsItsValue() {
    ExactNumberNode n = (ExactNumberNode) json("1e2");

    assertThat(n.text()).isEqualTo("1e2");
    assertThat(n.intValue()).isEqualTo(100);
    assertThat(n.isFloatingPointNumber()).isTrue();
    assertThat(((ExactNumberNode) json("-0")).isFloatingPointNumber()).isFalse();
    assertThat(json("18446744073709551616").bigIntegerValue().toString())
        .isEqualTo("18446744073709551616");
  }

  // ---------------------------------------------------------------- reading JSON

  @Test
  void duplicateKeysAreRejectedWithTheirPosition() {
    assertThatThrownBy(() -> json("{\n  \"a\": 1,\n  \"a\": 2\n}"))
        .isInstanceOfSatisfying(
            JsonInputException.class,
            e -> {
              assertThat(e.getMessage())
                  .startsWith("malformed JSON at line 3, column")
                  .contains("Duplicate field 'a'");
              assertThat(e.line()).isEqualTo(3);
            });
  }

  @Test
  void nestingDeeperThanTheLimitIsRejected() {
    Json.Limits limits = Json.Limits.DEFAULT.withMaxDepth(3);

    assertThat(Json.parse("[[[1]]]".getBytes(StandardCharsets.UTF_8), limits))
        .isEqualTo(json("[[[1]]]"));
    assertThatThrownBy(() -> Json.parse("[[{\"a\":[1]}]]".getBytes(StandardCharsets.UTF_8), limits))
        .isInstanceOf(JsonInputException.class)
        .hasMessage("JSON nested deeper than the limit of 3 levels at line 1, column 8");
  }

  @Test
  void emptyInputAndTrailingContentAreRejected() {
    assertThatThrownBy(() -> json(" "))
        .isInstanceOf(JsonInputException.class)
        .hasMessage("no JSON value (the input is empty)");
    assertThatThrownBy(() -> json("{} {}"))
        .isInstanceOf(JsonInputException.class)
        .hasMessage("unexpected content after the JSON value at line 1, column 4");
    assertThatThrownBy(() -> json("{\"a\":}"))
        .isInstanceOfSatisfying(
            JsonInputException.class,
            e -> {
              assertThat(e.getMessage()).startsWith("malformed JSON at line 1, column 6: ");
              assertThat(e.column()).isEqualTo(6);
            });
  }

  // ---------------------------------------------------------------- helpers

  private static Patch patchFromText(String text) {
    return Patch.fromJson(json(text));
  }

  /**
   * Asserts {@code actual} has the value {@code expected} (member order aside), failing with a
   * readable message instead of a stack overflow when a rollback left the document cyclic.
   */
  @Test
  void inverseOfAMoveOutOfAnArrayOntoAMemberOfALaterElementRestoresTheArray() {
    JsonNode doc = sqJson("{'arr':['e0','V',{'k':1},{'k':'old'}]}");
    JsonPatch.Applied applied =
        JsonPatch.apply(doc, sqPatch("[{'op':'move','from':'/arr/1','path':'/arr/2/k'}]"));

    assertThat(applied.document()).isEqualTo(sqJson("{'arr':['e0',{'k':1},{'k':'V'}]}"));
    assertThat(JsonPatch.apply(applied.document(), applied.inverse()).document()).isEqualTo(doc);
  }

  @Test
  void inverseOfAMoveOutOfAnElementToThatElementsIndexRestoresTheArray() {
    JsonNode doc = sqJson("{'arr':[{'a':{'b':1}},'x']}");
    JsonPatch.Applied applied =
        JsonPatch.apply(doc, sqPatch("[{'op':'move','from':'/arr/0/a/b','path':'/arr/0'}]"));

    assertThat(applied.document()).isEqualTo(sqJson("{'arr':[1,{'a':{}},'x']}"));
    assertThat(JsonPatch.apply(applied.document(), applied.inverse()).document()).isEqualTo(doc);
  }

  @Test
  void rollingBackManyMemberRemovalsRestoresEveryMemberInOrder() {
    ObjectNode doc = Json.NODES.objectNode();
    for (int i = 0; i < 20_000; i++) doc.put("k" + i, i);
    String before = compact(doc);
    List<PatchOp> ops = new ArrayList<>();
    for (int i = 10_000; i < 20_000; i += 2) ops.add(PatchOp.remove(JsonPointer.parse("/k" + i)));
    ops.add(PatchOp.add(JsonPointer.parse("/new"), Json.NODES.numberNode(1)));
    ops.add(PatchOp.test(JsonPointer.parse("/k0"), Json.NODES.numberNode(5)));

    assertThatThrownBy(() -> JsonPatch.applyInPlace(doc, new Patch(ops)))
        .isInstanceOf(PatchFailedException.class)
        .hasMessageStartingWith("op 5001 (test /k0): test failed");
    assertThat(compact(doc)).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1e-2147483649]", "[1E+99999999999]", "{\"a\":2.5e1000000000}"})
  void numberWithAnExponentBeyondArithmeticIsRejectedWhenRead(String text) {
    assertThatThrownBy(() -> Json.parse(text))
        .isInstanceOf(JsonInputException.class)
        .hasMessageContaining("has an exponent out of range at line 1");
  }

  private static void assertSameValue(JsonNode actual, JsonNode expected, String what) {
    String text;
    try {
      text = compact(actual);
    } catch (RuntimeException | StackOverflowError e) {
      fail(what + ": the document cannot be written any more (it contains itself): " + e);
      return;
    }
    assertThat(json(text)).as(what).isEqualTo(expected);
  }
}
