package dev.cfgctl.patch;

import static dev.cfgctl.patch.PatchTestSupport.compact;
import static dev.cfgctl.patch.PatchTestSupport.sq;
import static dev.cfgctl.patch.PatchTestSupport.sqJson;
import static dev.cfgctl.patch.PatchTestSupport.sqPatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The examples of RFC 6902 Appendix A and RFC 6901 section 5, plus the pointer and array-index
 * rules those RFCs state. Documents are written with single quotes (see {@link
 * PatchTestSupport#sq}).
 */
class RfcAppendixATest {

  // ---------------------------------------------------------------- RFC 6902 Appendix A

  static Stream<Arguments> appendixAExamplesThatApply() {
    return Stream.of(
        arguments(
            "A.1 adding an object member",
            "{'foo':'bar'}",
            "[{'op':'add','path':'/baz','value':'qux'}]",
            "{'baz':'qux','foo':'bar'}"),
        arguments(
            "A.2 adding an array element",
            "{'foo':['bar','baz']}",
            "[{'op':'add','path':'/foo/1','value':'qux'}]",
            "{'foo':['bar','qux','baz']}"),
        arguments(
            "A.3 removing an object member",
            "{'baz':'qux','foo':'bar'}",
            "[{'op':'remove','path':'/baz'}]",
            "{'foo':'bar'}"),
        arguments(
            "A.4 removing an array element",
            "{'foo':['bar','qux','baz']}",
            "[{'op':'remove','path':'/foo/1'}]",
            "{'foo':['bar','baz']}"),
        arguments(
            "A.5 replacing a value",
            "{'baz':'qux','foo':'bar'}",
            "[{'op':'replace','path':'/baz','value':'boo'}]",
            "{'baz':'boo','foo':'bar'}"),
        arguments(
            "A.6 moving a value",
            "{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}",
            "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]",
            "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}"),
        arguments(
            "A.7 moving an array element",
            "{'foo':['all','grass','cows','eat']}",
            "[{'op':'move','from':'/foo/1','path':'/foo/3'}]",
            "{'foo':['all','cows','eat','grass']}"),
        arguments(
            "A.8 testing a value: success",
            "{'baz':'qux','foo':['a',2,'c']}",
            "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]",
            "{'baz':'qux','foo':['a',2,'c']}"),
        arguments(
            "A.10 adding a nested member object",
            "{'foo':'bar'}",
            "[{'op':'add','path':'/child','value':{'grandchild':{}}}]",
            "{'foo':'bar','child':{'grandchild':{}}}"),
        arguments(
            "A.11 ignoring unrecognized elements",
            "{'foo':'bar'}",
            "[{'op':'add','path':'/baz','value':'qux','xyz':123}]",
            "{'foo':'bar','baz':'qux'}"),
        arguments(
            "A.14 ~ escape ordering",
            "{'/':9,'~1':10}",
            "[{'op':'test','path':'/~01','value':10}]",
            "{'/':9,'~1':10}"),
        arguments(
            "A.16 adding an array value",
            "{'foo':['bar']}",
            "[{'op':'add','path':'/foo/-','value':['abc','def']}]",
            "{'foo':['bar',['abc','def']]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("appendixAExamplesThatApply")
  void appendixAExampleYieldsTheRfcResult(String name, String doc, String patch, String expected) {
    JsonNode original = sqJson(doc);
    String before = compact(original);

    JsonPatch.Applied applied = JsonPatch.apply(original, sqPatch(patch));

    assertThat(applied.document()).as(name).isEqualTo(sqJson(expected));
    assertThat(compact(original)).as("apply() must not touch its input").isEqualTo(before);
    assertThat(JsonPatch.apply(applied.document(), applied.inverse()).document())
        .as("the inverse of %s restores the document", name)
        .isEqualTo(original);
  }

  static Stream<Arguments> appendixAExamplesThatFail() {
    return Stream.of(
        arguments(
            "A.9 testing a value: error",
            "{'baz':'qux','foo':['a',2,'c']}",
            "[{'op':'test','path':'/baz','value':'bar'}]",
            0,
            "test /baz",
            "test failed: expected \"bar\", found \"qux\""),
        arguments(
            "A.12 adding to a nonexistent target",
            "{'foo':'bar'}",
            "[{'op':'add','path':'/baz/bat','value':'qux'}]",
            0,
            "add /baz/bat",
            "path /baz does not exist"),
        arguments(
            "A.15 comparing strings and numbers",
            "{'/':9,'~1':10}",
            "[{'op':'test','path':'/~01','value':'10'}]",
            0,
            "test /~01",
            "test failed: expected \"10\", found 10"),
        // The Appendix A error examples, placed after operations that succeed: the document must
        // come back unchanged although earlier operations already changed it.
        arguments(
            "A.9 after two successful ops",
            "{'baz':'qux','foo':['a',2,'c']}",
            "[{'op':'add','path':'/foo/-','value':4},{'op':'replace','path':'/foo/0','value':'z'},"
                + "{'op':'test','path':'/baz','value':'bar'}]",
            2,
            "test /baz",
            "test failed: expected \"bar\", found \"qux\""),
        arguments(
            "A.12 after a successful remove",
            "{'foo':'bar','keep':[1,2]}",
            "[{'op':'remove','path':'/keep/0'},{'op':'add','path':'/baz/bat','value':'qux'}]",
            1,
            "add /baz/bat",
            "path /baz does not exist"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("appendixAExamplesThatFail")
  void appendixAErrorNamesOpPathAndReasonAndLeavesTheDocumentUnchanged(
      String name, String doc, String patch, int opIndex, String described, String reason) {
    JsonNode original = sqJson(doc);
    JsonNode pristine = original.deepCopy();
    Patch p = sqPatch(patch);

    for (boolean inPlace : new boolean[] {false, true}) {
      assertThatThrownBy(
              () -> {
                if (inPlace) JsonPatch.applyInPlace(original, p);
                else JsonPatch.apply(original, p);
              })
          .as("%s (in place: %s)", name, inPlace)
          .isInstanceOfSatisfying(
              PatchFailedException.class,
              e -> {
                assertThat(e.opIndex()).isEqualTo(opIndex);
                assertThat(e.op()).isEqualTo(p.ops().get(opIndex));
                assertThat(e.reason()).isEqualTo(reason);
                assertThat(e.getMessage())
                    .isEqualTo("op " + opIndex + " (" + described + "): " + reason);
              });
      assertThat(original)
          .as("%s leaves the document unchanged (in place: %s)", name, inPlace)
          .isEqualTo(pristine);
    }
  }

  @Test
  void appendixA13DuplicateOpMemberIsRejectedWhenReadingThePatch() {
    String patch = sq("[{'op':'add','path':'/baz','value':'qux','op':'remove'}]");

    assertThatThrownBy(() -> Patch.fromJson(Json.parse(patch)))
        .isInstanceOfSatisfying(
            JsonInputException.class,
            e -> {
              assertThat(e.getMessage())
                  .startsWith("malformed JSON at line 1, column ")
                  .contains("Duplicate field 'op'");
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.column()).isPositive();
            });
  }

  // ---------------------------------------------------------------- malformed patches

  static Stream<Arguments> malformedPatches() {
    return Stream.of(
        arguments(
            "{'op':'add','path':'/a','value':1}",
            "a JSON Patch must be an array of operations, not an object"),
        arguments(
            "[{'op':'add','path':'/a','value':1},{'path':'/b'}]",
            "invalid patch: op 1 has no \"op\" member"),
        arguments(
            "[{'op':'add','path':'/a','value':1},{'op':'Add','path':'/b','value':1}]",
            "invalid patch: op 1 has unknown op \"Add\" (expected add, remove, replace, move, copy or test)"),
        arguments(
            "[{'op':'frobnicate','path':'/a'}]",
            "invalid patch: op 0 has unknown op \"frobnicate\" (expected add, remove, replace, move, copy or test)"),
        arguments(
            "[{'op':'remove','path':'/a'},{'op':'remove','path':'/b'},{'op':'remove'}]",
            "invalid patch: op 2 has no \"path\" member"),
        arguments(
            "[{'op':'replace','path':'/a'}]",
            "invalid patch: op 0 (replace) has no \"value\" member"),
        arguments(
            "[{'op':'test','path':'/a'}]", "invalid patch: op 0 (test) has no \"value\" member"),
        arguments("[{'op':'move','path':'/a'}]", "invalid patch: op 0 has no \"from\" member"),
        arguments(
            "[{'op':'copy','from':5,'path':'/a'}]",
            "invalid patch: op 0 \"from\" must be a string, not a number"),
        arguments(
            "[{'op':'add','path':null,'value':1}]",
            "invalid patch: op 0 \"path\" must be a string, not null"),
        arguments("[1]", "invalid patch: op 0 must be an object, not a number"),
        arguments(
            "[{'op':'remove','path':'a'}]",
            "invalid patch: op 0 \"path\": pointer \"a\" must be empty or start with /"),
        arguments(
            "[{'op':'remove','path':'/a'},{'op':'move','from':'/~2','path':'/b'}]",
            "invalid patch: op 1 \"from\": pointer \"/~2\" has a ~ not followed by 0 or 1 "
                + "(write ~0 for ~, ~1 for /)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedPatches")
  void malformedPatchIsRejectedNamingTheOperation(String patch, String message) {
    assertThatThrownBy(() -> sqPatch(patch))
        .isInstanceOf(InvalidPatchException.class)
        .hasMessage(message);
  }

  @Test
  void addWithNullValueIsWellFormed() {
    JsonNode doc =
        JsonPatch.apply(sqJson("{}"), sqPatch("[{'op':'add','path':'/a','value':null}]"))
            .document();

    assertThat(doc).isEqualTo(sqJson("{'a':null}"));
  }

  // ---------------------------------------------------------------- RFC 6901 section 5

  private static JsonNode rfc6901Doc;

  @BeforeAll
  static void readRfc6901Example() throws IOException {
    try (InputStream in = RfcAppendixATest.class.getResourceAsStream("/rfc/rfc6901-example.json")) {
      rfc6901Doc = Json.parse(in, Json.Limits.DEFAULT);
    }
  }

  static Stream<Arguments> rfc6901Examples() {
    return Stream.of(
        arguments("", List.of(), "#", null),
        arguments("/foo", List.of("foo"), "#/foo", "['bar','baz']"),
        arguments("/foo/0", List.of("foo", "0"), "#/foo/0", "'bar'"),
        arguments("/", List.of(""), "#/", "0"),
        arguments("/a~1b", List.of("a/b"), "#/a~1b", "1"),
        arguments("/c%d", List.of("c%d"), "#/c%25d", "2"),
        arguments("/e^f", List.of("e^f"), "#/e%5Ef", "3"),
        arguments("/g|h", List.of("g|h"), "#/g%7Ch", "4"),
        arguments("/i\\j", List.of("i\\j"), "#/i%5Cj", "5"),
        arguments("/k\"l", List.of("k\"l"), "#/k%22l", "6"),
        arguments("/ ", List.of(" "), "#/%20", "7"),
        arguments("/m~0n", List.of("m~n"), "#/m~0n", "8"));
  }

  @ParameterizedTest(name = "pointer \"{0}\"")
  @MethodSource("rfc6901Examples")
  void rfc6901ExamplePointerParsesPrintsAndEvaluates(
      String text, List<String> tokens, String fragment, String expectedValue) {
    JsonPointer pointer = JsonPointer.parse(text);
    JsonNode expected = expectedValue == null ? rfc6901Doc : sqJson(expectedValue);

    assertThat(pointer.tokens()).isEqualTo(tokens);
    assertThat(pointer.toString()).isEqualTo(text);
    assertThat(JsonPointer.of(tokens)).isEqualTo(pointer);
    assertThat(JsonPointer.of(tokens).toString()).isEqualTo(text);
    assertThat(JsonPointer.parse(URLDecoder.decode(fragment.substring(1), StandardCharsets.UTF_8)))
        .as("the URI fragment form %s names the same pointer", fragment)
        .isEqualTo(pointer);
    assertThat(valueAt(rfc6901Doc, pointer)).isEqualTo(expected);
    assertThat(rfc6901Doc.at(text)).as("Jackson's own pointer agrees").isEqualTo(expected);
  }

  @ParameterizedTest(name = "pointer \"{0}\"")
  @MethodSource("rfc6901Examples")
  void rfc6901ExamplePointerIsTestableAndRefutable(
      String text, List<String> tokens, String fragment, String expectedValue) {
    JsonPointer pointer = JsonPointer.parse(text);
    JsonNode expected = expectedValue == null ? rfc6901Doc : sqJson(expectedValue);
    Patch pass = new Patch(List.of(PatchOp.test(pointer, expected)));
    Patch fail = new Patch(List.of(PatchOp.test(pointer, Json.NODES.textNode("nope"))));

    assertThat(JsonPatch.apply(rfc6901Doc, pass).document()).isEqualTo(rfc6901Doc);
    assertThatThrownBy(() -> JsonPatch.apply(rfc6901Doc, fail))
        .isInstanceOf(PatchFailedException.class)
        .hasMessageStartingWith(
            "op 0 (test " + pointer.shown() + "): test failed: expected \"nope\", found ");
  }

  /** Evaluates a pointer with the engine itself: copying it onto the root yields its value. */
  private static JsonNode valueAt(JsonNode doc, JsonPointer pointer) {
    return JsonPatch.apply(doc, new Patch(List.of(PatchOp.copy(pointer, JsonPointer.ROOT))))
        .document();
  }

  @Test
  void escapeEncodesTildeBeforeSlash() {
    assertThat(JsonPointer.escape("~1")).isEqualTo("~01");
    assertThat(JsonPointer.escape("a/b~c")).isEqualTo("a~1b~0c");
    assertThat(JsonPointer.escape("plain")).isEqualTo("plain");
    assertThat(JsonPointer.parse("/~01").tokens()).containsExactly("~1");
    assertThat(JsonPointer.parse("/~10").tokens()).containsExactly("/0");
  }

  @Test
  void emptyTokensAreKept() {
    assertThat(JsonPointer.parse("//").tokens()).containsExactly("", "");
    assertThat(JsonPointer.parse("/a/").tokens()).containsExactly("a", "");
    assertThat(JsonPointer.parse("/a/").toString()).isEqualTo("/a/");
    assertThat(JsonPointer.parse("").isRoot()).isTrue();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"a", "#/a", " /a"})
  void pointerNotStartingWithSlashIsInvalid(String text) {
    assertThatThrownBy(() -> JsonPointer.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pointer \"" + text + "\" must be empty or start with /");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"/~2", "/a~", "/~", "/~a", "/a~/b", "/~~0"})
  void tildeNotFollowedByZeroOrOneIsInvalid(String text) {
    assertThatThrownBy(() -> JsonPointer.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "pointer \"" + text + "\" has a ~ not followed by 0 or 1 (write ~0 for ~, ~1 for /)");
  }

  // ---------------------------------------------------------------- array index rules

  @Test
  void indexAcceptsOnlyCanonicalDecimalNumbers() {
    assertThat(JsonPointer.index("0")).isZero();
    assertThat(JsonPointer.index("10")).isEqualTo(10);
    assertThat(JsonPointer.index("123456789")).isEqualTo(123456789);
    for (String bad :
        List.of("01", "00", "-", "-1", "+1", "1e0", " 1", "1 ", "", "a", "0x1", "１")) {
      assertThat(JsonPointer.index(bad)).as("index(\"%s\")", bad).isEqualTo(-1);
    }
  }

  static Stream<Arguments> arrayIndexRules() {
    String doc = "{'foo':['bar','baz'],'obj':{'0':'zero','01':'oh-one','-':'dash'}}";
    return Stream.of(
        // leading zeros
        arguments(
            doc,
            "[{'op':'add','path':'/foo/01','value':'x'}]",
            null,
            "op 0 (add /foo/01): \"01\" in /foo/01 is not an array index"),
        arguments(
            doc,
            "[{'op':'replace','path':'/foo/00','value':'x'}]",
            null,
            "op 0 (replace /foo/00): \"00\" in /foo/00 is not an array index"),
        arguments(
            doc,
            "[{'op':'test','path':'/foo/01','value':'baz'}]",
            null,
            "op 0 (test /foo/01): test failed: path /foo/01 does not exist"),
        arguments(doc, "[{'op':'test','path':'/foo/1','value':'baz'}]", doc, null),
        // on objects, index-like tokens are plain member names
        arguments(
            doc,
            "[{'op':'test','path':'/obj/01','value':'oh-one'},"
                + "{'op':'test','path':'/obj/0','value':'zero'},"
                + "{'op':'test','path':'/obj/-','value':'dash'}]",
            doc,
            null),
        arguments("{}", "[{'op':'add','path':'/-','value':1}]", "{'-':1}", null),
        // '-' is the end of the array for add (and as the target of move and copy) only
        arguments(
            doc,
            "[{'op':'add','path':'/foo/-','value':'x'}]",
            "{'foo':['bar','baz','x'],'obj':{'0':'zero','01':'oh-one','-':'dash'}}",
            null),
        arguments(
            doc,
            "[{'op':'move','from':'/foo/0','path':'/foo/-'}]",
            "{'foo':['baz','bar'],'obj':{'0':'zero','01':'oh-one','-':'dash'}}",
            null),
        arguments(
            doc,
            "[{'op':'copy','from':'/foo/0','path':'/foo/-'}]",
            "{'foo':['bar','baz','bar'],'obj':{'0':'zero','01':'oh-one','-':'dash'}}",
            null),
        arguments(
            doc,
            "[{'op':'remove','path':'/foo/-'}]",
            null,
            "op 0 (remove /foo/-): \"-\" in /foo/- is not an array index"),
        arguments(
            doc,
            "[{'op':'replace','path':'/foo/-','value':'x'}]",
            null,
            "op 0 (replace /foo/-): \"-\" in /foo/- is not an array index"),
        arguments(
            doc,
            "[{'op':'test','path':'/foo/-','value':'baz'}]",
            null,
            "op 0 (test /foo/-): test failed: path /foo/- does not exist"),
        arguments(
            doc,
            "[{'op':'move','from':'/foo/-','path':'/x'}]",
            null,
            "op 0 (move /foo/- -> /x): \"-\" in /foo/- is not an array index"),
        arguments(
            doc,
            "[{'op':'copy','from':'/foo/-','path':'/x'}]",
            null,
            "op 0 (copy /foo/- -> /x): path /foo/- does not exist"),
        arguments(
            doc,
            "[{'op':'add','path':'/foo/-/x','value':1}]",
            null,
            "op 0 (add /foo/-/x): path /foo/- does not exist"),
        // bounds: add may use the size (append), nothing else may
        arguments(
            doc,
            "[{'op':'add','path':'/foo/2','value':'x'}]",
            "{'foo':['bar','baz','x'],'obj':{'0':'zero','01':'oh-one','-':'dash'}}",
            null),
        arguments(
            doc,
            "[{'op':'add','path':'/foo/3','value':'x'}]",
            null,
            "op 0 (add /foo/3): index 3 is out of bounds in /foo/3 (array size 2)"),
        arguments(
            doc,
            "[{'op':'remove','path':'/foo/2'}]",
            null,
            "op 0 (remove /foo/2): index 2 is out of bounds in /foo/2 (array size 2)"),
        arguments(
            doc,
            "[{'op':'replace','path':'/foo/2','value':'x'}]",
            null,
            "op 0 (replace /foo/2): index 2 is out of bounds in /foo/2 (array size 2)"),
        arguments(
            doc,
            "[{'op':'move','from':'/foo/0','path':'/foo/2'}]",
            null,
            "op 0 (move /foo/0 -> /foo/2): index 2 is out of bounds in /foo/2 (array size 1)"),
        arguments(
            doc,
            "[{'op':'copy','from':'/foo/0','path':'/foo/3'}]",
            null,
            "op 0 (copy /foo/0 -> /foo/3): index 3 is out of bounds in /foo/3 (array size 2)"),
        arguments(
            doc,
            "[{'op':'add','path':'/foo/-1','value':'x'}]",
            null,
            "op 0 (add /foo/-1): \"-1\" in /foo/-1 is not an array index"),
        arguments(
            doc,
            "[{'op':'add','path':'/foo/1e0','value':'x'}]",
            null,
            "op 0 (add /foo/1e0): \"1e0\" in /foo/1e0 is not an array index"),
        // scalars have no children
        arguments(
            doc,
            "[{'op':'add','path':'/foo/0/x','value':1}]",
            null,
            "op 0 (add /foo/0/x): path /foo/0/x does not exist: /foo/0 is a string, not an object or array"),
        arguments(
            doc,
            "[{'op':'remove','path':'/foo/0/x'}]",
            null,
            "op 0 (remove /foo/0/x): path /foo/0/x does not exist: /foo/0 is a string, not an object or array"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("arrayIndexRules")
  void arrayIndexRule(String doc, String patch, String expected, String error) {
    JsonNode original = sqJson(doc);
    JsonNode pristine = original.deepCopy();
    Patch p = sqPatch(patch);

    if (error == null) {
      assertThat(JsonPatch.applyInPlace(original, p).document()).isEqualTo(sqJson(expected));
    } else {
      assertThatThrownBy(() -> JsonPatch.applyInPlace(original, p))
          .isInstanceOf(PatchFailedException.class)
          .hasMessage(error);
      assertThat(original).as("a failed patch leaves the document unchanged").isEqualTo(pristine);
    }
  }
}
