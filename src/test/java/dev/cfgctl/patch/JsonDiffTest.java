package dev.cfgctl.patch;

import static dev.cfgctl.patch.PatchTestSupport.sqJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact patches from {@link JsonDiff} where its algorithm is deterministic. Every patch expected
 * here is also checked to turn the first document into the second.
 */
class JsonDiffTest {
  private static final DiffOptions DEFAULT = DiffOptions.DEFAULT;
  private static final DiffOptions NO_MOVES = DEFAULT.withMoves(false);
  private static final DiffOptions WITH_TESTS = DEFAULT.withTests(true);

  private static final String SECTIONS =
      "[{'id':'hero','t':1},{'id':'features','t':2},{'id':'cta','t':3}]";

  static Stream<Arguments> diffs() {
    return Stream.of(
        // objects
        arguments(
            "identical documents", "{'a':[1,{'b':null}]}", "{'a':[1,{'b':null}]}", DEFAULT, "[]"),
        arguments(
            "single field edit",
            "{'title':'Home','hero':{'headline':'Hi','cta':{'label':'Go','href':'/x'}},'tags':['a','b']}",
            "{'title':'Home','hero':{'headline':'Hi','cta':{'label':'Start','href':'/x'}},'tags':['a','b']}",
            DEFAULT,
            "[{'op':'replace','path':'/hero/cta/label','value':'Start'}]"),
        arguments(
            "member added",
            "{'a':1}",
            "{'a':1,'n':{'x':[]}}",
            DEFAULT,
            "[{'op':'add','path':'/n','value':{'x':[]}}]"),
        arguments(
            "member removed",
            "{'a':1,'old':[1]}",
            "{'a':1}",
            DEFAULT,
            "[{'op':'remove','path':'/old'}]"),
        arguments(
            "member renamed is a move",
            "{'old':{'big':[1,2]},'k':1}",
            "{'k':1,'new':{'big':[1,2]}}",
            DEFAULT,
            "[{'op':'move','from':'/old','path':'/new'}]"),
        arguments(
            "member order alone is no change", "{'a':1,'b':2}", "{'b':2,'a':1}", DEFAULT, "[]"),
        // type changes
        arguments(
            "number to string",
            "{'a':1}",
            "{'a':'1'}",
            DEFAULT,
            "[{'op':'replace','path':'/a','value':'1'}]"),
        arguments(
            "object to array",
            "{'a':{}}",
            "{'a':[]}",
            DEFAULT,
            "[{'op':'replace','path':'/a','value':[]}]"),
        arguments(
            "array to null",
            "{'a':[1]}",
            "{'a':null}",
            DEFAULT,
            "[{'op':'replace','path':'/a','value':null}]"),
        arguments(
            "1 to 1.0 (exact text)",
            "{'a':1}",
            "{'a':1.0}",
            DEFAULT,
            "[{'op':'replace','path':'/a','value':1.0}]"),
        arguments(
            "true to false",
            "[true]",
            "[false]",
            DEFAULT,
            "[{'op':'replace','path':'/0','value':false}]"),
        // root scalars and root type changes
        arguments("root number", "1", "2", DEFAULT, "[{'op':'replace','path':'','value':2}]"),
        arguments("root same string", "'x'", "'x'", DEFAULT, "[]"),
        arguments(
            "root null to object",
            "null",
            "{}",
            DEFAULT,
            "[{'op':'replace','path':'','value':{}}]"),
        arguments(
            "root array to object", "[]", "{}", DEFAULT, "[{'op':'replace','path':'','value':{}}]"),
        arguments(
            "root object to scalar",
            "{'a':1}",
            "true",
            DEFAULT,
            "[{'op':'replace','path':'','value':true}]"),
        // escapes
        arguments(
            "keys with ~ and /",
            "{'a/b':1,'m~n':2,'~1':3}",
            "{'a/b':4,'~1':3,'x/y~z':5}",
            DEFAULT,
            "[{'op':'replace','path':'/a~1b','value':4},{'op':'remove','path':'/m~0n'},"
                + "{'op':'add','path':'/x~1y~0z','value':5}]"),
        arguments(
            "nested key with ~1 text",
            "{'~1':{'/':1}}",
            "{'~1':{'/':2}}",
            DEFAULT,
            "[{'op':'replace','path':'/~01/~1','value':2}]"),
        // arrays of values
        arguments("append", "[1,2]", "[1,2,3]", DEFAULT, "[{'op':'add','path':'/2','value':3}]"),
        arguments(
            "remove in the middle", "[1,2,3]", "[1,3]", DEFAULT, "[{'op':'remove','path':'/1'}]"),
        arguments(
            "scalar edited in place",
            "[1,2,3]",
            "[1,5,3]",
            DEFAULT,
            "[{'op':'replace','path':'/1','value':5}]"),
        arguments(
            "object element edited in place",
            "[{'a':1},{'b':2}]",
            "[{'a':1},{'b':3}]",
            DEFAULT,
            "[{'op':'replace','path':'/1/b','value':3}]"),
        arguments("swap", "[1,2]", "[2,1]", DEFAULT, "[{'op':'move','from':'/1','path':'/0'}]"),
        arguments(
            "last to first",
            "[1,2,3]",
            "[3,1,2]",
            DEFAULT,
            "[{'op':'move','from':'/2','path':'/0'}]"),
        arguments(
            "first to last",
            "['a','b','c','d']",
            "['b','c','d','a']",
            DEFAULT,
            "[{'op':'move','from':'/0','path':'/3'}]"),
        arguments(
            "empty to full",
            "[]",
            "[1,2]",
            DEFAULT,
            "[{'op':'add','path':'/0','value':1},{'op':'add','path':'/1','value':2}]"),
        arguments(
            "full to empty",
            "[1,2]",
            "[]",
            DEFAULT,
            "[{'op':'remove','path':'/1'},{'op':'remove','path':'/0'}]"),
        // arrays of objects with an identity
        arguments(
            "sections reordered by id",
            SECTIONS,
            "[{'id':'cta','t':3},{'id':'hero','t':1},{'id':'features','t':2}]",
            DEFAULT,
            "[{'op':'move','from':'/2','path':'/0'}]"),
        arguments(
            "section moved and edited",
            SECTIONS,
            "[{'id':'cta','t':4},{'id':'hero','t':1},{'id':'features','t':2}]",
            DEFAULT,
            "[{'op':'move','from':'/2','path':'/0'},{'op':'replace','path':'/0/t','value':4}]"),
        arguments(
            "section inserted",
            SECTIONS,
            "[{'id':'hero','t':1},{'id':'new','t':0},{'id':'features','t':2},{'id':'cta','t':3}]",
            DEFAULT,
            "[{'op':'add','path':'/1','value':{'id':'new','t':0}}]"),
        arguments(
            "section removed and another moved",
            SECTIONS,
            "[{'id':'cta','t':3},{'id':'hero','t':1}]",
            DEFAULT,
            "[{'op':'remove','path':'/1'},{'op':'move','from':'/1','path':'/0'}]"),
        arguments(
            "numeric ids",
            "[{'id':1,'v':'a'},{'id':2,'v':'b'}]",
            "[{'id':2,'v':'B'},{'id':1,'v':'a'}]",
            DEFAULT,
            "[{'op':'move','from':'/1','path':'/0'},{'op':'replace','path':'/0/v','value':'B'}]"),
        arguments(
            "nested section arrays",
            "{'pages':{'home':{'sections':" + SECTIONS + "}}}",
            "{'pages':{'home':{'sections':[{'id':'features','t':2},{'id':'hero','t':9},{'id':'cta','t':3}]}}}",
            DEFAULT,
            "[{'op':'move','from':'/pages/home/sections/1','path':'/pages/home/sections/0'},"
                + "{'op':'replace','path':'/pages/home/sections/1/t','value':9}]"),
        // --array-key
        arguments(
            "--array-key name",
            "[{'name':'x','v':1},{'name':'y','v':2}]",
            "[{'name':'y','v':2},{'name':'x','v':3}]",
            DEFAULT.withArrayKeys(List.of("name")),
            "[{'op':'move','from':'/1','path':'/0'},{'op':'replace','path':'/1/v','value':3}]"),
        arguments(
            "--array-key falls back to the next key when one is not unique",
            "[{'k':1,'name':'x','v':1},{'k':1,'name':'y','v':2}]",
            "[{'k':1,'name':'y','v':2},{'k':1,'name':'x','v':3}]",
            DEFAULT.withArrayKeys(List.of("k", "name")),
            "[{'op':'move','from':'/1','path':'/0'},{'op':'replace','path':'/1/v','value':3}]"),
        arguments(
            "without the array key the same change is remove + add",
            "[{'name':'x','v':1},{'name':'y','v':2}]",
            "[{'name':'y','v':2},{'name':'x','v':3}]",
            DEFAULT,
            "[{'op':'remove','path':'/0'},{'op':'add','path':'/1','value':{'name':'x','v':3}}]"),
        // --no-moves
        arguments(
            "--no-moves in an array",
            "[1,2,3]",
            "[3,1,2]",
            NO_MOVES,
            "[{'op':'remove','path':'/2'},{'op':'add','path':'/0','value':3}]"),
        arguments(
            "--no-moves for a renamed member",
            "{'old':{'big':[1,2]}}",
            "{'new':{'big':[1,2]}}",
            NO_MOVES,
            "[{'op':'remove','path':'/old'},{'op':'add','path':'/new','value':{'big':[1,2]}}]"),
        arguments(
            "--no-moves with ids",
            SECTIONS,
            "[{'id':'cta','t':3},{'id':'hero','t':1},{'id':'features','t':2}]",
            NO_MOVES,
            "[{'op':'remove','path':'/2'},{'op':'add','path':'/0','value':{'id':'cta','t':3}}]"),
        // --with-tests
        arguments(
            "--with-tests",
            "{'a':1,'b':2,'arr':[1,2,3]}",
            "{'a':5,'arr':[3,1,2]}",
            WITH_TESTS,
            "[{'op':'test','path':'/a','value':1},{'op':'replace','path':'/a','value':5},"
                + "{'op':'test','path':'/arr/2','value':3},{'op':'move','from':'/arr/2','path':'/arr/0'},"
                + "{'op':'test','path':'/b','value':2},{'op':'remove','path':'/b'}]"),
        arguments(
            "--with-tests for an array removal",
            "[1,2,3]",
            "[1,3]",
            WITH_TESTS,
            "[{'op':'test','path':'/1','value':2},{'op':'remove','path':'/1'}]"),
        arguments(
            "--with-tests for a member move",
            "{'old':[1]}",
            "{'new':[1]}",
            WITH_TESTS,
            "[{'op':'test','path':'/old','value':[1]},{'op':'move','from':'/old','path':'/new'}]"),
        arguments(
            "--with-tests adds no test before an add",
            "{'x':1}",
            "{'x':1,'y':2}",
            WITH_TESTS,
            "[{'op':'add','path':'/y','value':2}]"),
        arguments(
            "--with-tests for a root replace",
            "1",
            "[1]",
            WITH_TESTS,
            "[{'op':'test','path':'','value':1},{'op':'replace','path':'','value':[1]}]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("diffs")
  void diffIsTheExpectedPatch(
      String name, String a, String b, DiffOptions options, String expected) {
    JsonNode from = sqJson(a);
    JsonNode to = sqJson(b);

    Patch patch = JsonDiff.diff(from, to, options);

    assertThat(patch.toJson()).as(name).isEqualTo(sqJson(expected));
    assertThat(JsonPatch.apply(from, patch).document())
        .as("%s: the patch yields the target", name)
        .isEqualTo(to);
  }

  @Test
  void keysWithTildeAndSlashAreEscapedInThePatchText() {
    Patch patch = JsonDiff.diff(sqJson("{'a/b':{'c~d':1}}"), sqJson("{'a/b':{'c~d':2}}"));

    assertThat(patch.toString())
        .isEqualTo("[{\"op\":\"replace\",\"path\":\"/a~1b/c~0d\",\"value\":2}]");
  }

  // ---------------------------------------------------------------- large arrays

  private static final int LARGE = 100_000;

  private static ArrayNode numbers(int from, int to) {
    ArrayNode a = Json.NODES.arrayNode(to - from);
    for (int i = from; i < to; i++) a.add(i);
    return a;
  }

  @Test
  void frontInsertIntoAHundredThousandElementsIsOneAdd() {
    ArrayNode a = numbers(0, LARGE);
    ArrayNode b = numbers(0, LARGE).insert(0, -1);

    Patch patch = JsonDiff.diff(a, b);

    assertThat(patch.toJson()).isEqualTo(sqJson("[{'op':'add','path':'/0','value':-1}]"));
    assertThat(JsonPatch.apply(a, patch).document()).isEqualTo(b);
  }

  @Test
  void frontInsertIntoAHundredThousandSectionsIsOneAdd() {
    ArrayNode a = Json.NODES.arrayNode();
    for (int i = 0; i < LARGE; i++) a.addObject().put("id", "s" + i).put("title", "Section " + i);
    ArrayNode b = a.deepCopy();
    b.insert(0, sqJson("{'id':'new','title':'New'}"));

    Patch patch = JsonDiff.diff(a, b);

    assertThat(patch.toJson())
        .isEqualTo(sqJson("[{'op':'add','path':'/0','value':{'id':'new','title':'New'}}]"));
  }

  @Test
  void lastOfAHundredThousandMovedToTheFrontIsOneMove() {
    ArrayNode a = numbers(0, LARGE);
    ArrayNode b = numbers(0, LARGE - 1).insert(0, LARGE - 1);

    Patch patch = JsonDiff.diff(a, b);

    assertThat(patch.toJson())
        .isEqualTo(sqJson("[{'op':'move','from':'/" + (LARGE - 1) + "','path':'/0'}]"));
    assertThat(JsonPatch.apply(a, patch).document()).isEqualTo(b);
  }

  @Test
  void lastOfAHundredThousandMovedToTheFrontWithoutMovesIsRemoveAndAdd() {
    ArrayNode a = numbers(0, LARGE);
    ArrayNode b = numbers(0, LARGE - 1).insert(0, LARGE - 1);

    Patch patch = JsonDiff.diff(a, b, NO_MOVES);

    assertThat(patch.toJson())
        .isEqualTo(
            sqJson(
                "[{'op':'remove','path':'/"
                    + (LARGE - 1)
                    + "'},"
                    + "{'op':'add','path':'/0','value':"
                    + (LARGE - 1)
                    + "}]"));
  }

  @Test
  void reversedArrayIsCorrectAndHasNoReplaces() {
    ArrayNode a = numbers(0, 2_000);
    ArrayNode b = Json.NODES.arrayNode();
    for (int i = 1_999; i >= 0; i--) b.add(i);

    Patch patch = JsonDiff.diff(a, b);

    assertThat(JsonPatch.apply(a, patch).document()).isEqualTo(b);
    assertThat(patch.ops()).extracting(PatchOp::op).containsOnly(PatchOp.Kind.MOVE);
    assertThat(patch.size()).isLessThanOrEqualTo(1_999);
  }

  @Test
  void oneMoveInAnArrayWithRepeatedValuesIsOneMove() {
    // the first element moved to the end; greedy matching of equal values must not turn this into
    // one move per pair of elements
    JsonNode a = sqJson("[1,0,1,0,1,0]");
    JsonNode b = sqJson("[0,1,0,1,0,1]");

    Patch patch = JsonDiff.diff(a, b);

    assertThat(JsonPatch.apply(a, patch).document()).isEqualTo(b);
    assertThat(patch.size()).as("ops in %s", patch).isEqualTo(1);
  }

  @Test
  void oneMoveInALargeArrayWithRepeatedValuesIsOneMove() {
    ArrayNode a = Json.NODES.arrayNode();
    for (int i = 0; i < 10_000; i++) a.add(i % 2 == 0 ? "on" : "off");
    ArrayNode b = a.deepCopy();
    b.add(b.remove(0));

    Patch patch = JsonDiff.diff(a, b);

    assertThat(JsonPatch.apply(a, patch).document()).isEqualTo(b);
    assertThat(patch.size()).as("ops for moving one element").isEqualTo(1);
  }

  @Test
  void oneMoveAndTwoInsertsInAnArrayWithRepeatedValuesAreThreeOps() {
    ArrayNode a = Json.NODES.arrayNode();
    for (int i = 0; i < 1_000; i++) a.add(i % 2);
    ArrayNode b = a.deepCopy();
    b.add(b.remove(0));
    b.insert(0, 5);
    b.add(6);

    Patch patch = JsonDiff.diff(a, b);

    assertThat(JsonPatch.apply(a, patch).document()).isEqualTo(b);
    assertThat(patch.size()).as("ops for one move and two inserts").isLessThanOrEqualTo(3);
  }

  @Test
  void oneMoveAndOneEditInAnArrayWithRepeatedValuesAreTwoOps() {
    ArrayNode a = Json.NODES.arrayNode();
    for (int i = 0; i < 1_000; i++) a.add(i % 2 == 0 ? "on" : "off");
    ArrayNode b = a.deepCopy();
    b.add(b.remove(0));
    b.set(500, Json.NODES.textNode("edited"));

    Patch patch = JsonDiff.diff(a, b);

    assertThat(JsonPatch.apply(a, patch).document()).isEqualTo(b);
    assertThat(patch.size()).as("ops for one move and one edit").isLessThanOrEqualTo(2);
  }

  // ---------------------------------------------------------------- --with-tests against drift

  static Stream<Arguments> driftedDocuments() {
    return Stream.of(
        arguments(
            "{'a':7,'b':2,'arr':[1,2,3]}", "op 0 (test /a): test failed: expected 1, found 7"),
        arguments(
            "{'a':1,'b':2,'arr':[1,2,4]}", "op 2 (test /arr/2): test failed: expected 3, found 4"),
        arguments(
            "{'a':1,'b':2,'arr':[1,2]}",
            "op 2 (test /arr/2): test failed: path /arr/2 does not exist"),
        arguments(
            "{'a':1,'b':'2','arr':[1,2,3]}",
            "op 4 (test /b): test failed: expected 2, found \"2\""),
        arguments("{'a':1,'arr':[1,2,3]}", "op 4 (test /b): test failed: path /b does not exist"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("driftedDocuments")
  void withTestsPatchRefusesADriftedDocument(String drifted, String message) {
    JsonNode a = sqJson("{'a':1,'b':2,'arr':[1,2,3]}");
    JsonNode b = sqJson("{'a':5,'arr':[3,1,2]}");
    Patch safe = JsonDiff.diff(a, b, WITH_TESTS);
    JsonNode doc = sqJson(drifted);

    assertThat(JsonPatch.apply(a, safe).document()).isEqualTo(b);
    assertThatThrownBy(() -> JsonPatch.applyInPlace(doc, safe))
        .isInstanceOfSatisfying(
            PatchFailedException.class, e -> assertThat(e.isTestFailure()).isTrue())
        .hasMessage(message);
    assertThat(doc).isEqualTo(sqJson(drifted));
  }

  @Test
  void withTestsPatchStillAppliesWhereOnlyUntestedPartsDrifted() {
    JsonNode a = sqJson("{'a':1,'other':'x'}");
    Patch safe = JsonDiff.diff(a, sqJson("{'a':2,'other':'x'}"), WITH_TESTS);

    JsonNode patched = JsonPatch.apply(sqJson("{'a':1,'other':'changed'}"), safe).document();

    assertThat(patched).isEqualTo(sqJson("{'a':2,'other':'changed'}"));
  }

  @Test
  void withTestsPatchComparesNumbersByValue() {
    Patch safe = JsonDiff.diff(sqJson("{'a':1.0}"), sqJson("{'a':2}"), WITH_TESTS);

    assertThat(JsonPatch.apply(sqJson("{'a':1}"), safe).document()).isEqualTo(sqJson("{'a':2}"));
  }

  // ---------------------------------------------------------------- --ignore

  static Stream<Arguments> ignored() {
    return Stream.of(
        arguments(
            "exact pointer",
            "{'meta':{'updatedAt':'t1','v':1},'x':1}",
            "{'meta':{'updatedAt':'t2','v':2},'x':1}",
            List.of("/meta/updatedAt"),
            "[{'op':'replace','path':'/meta/v','value':2}]"),
        arguments(
            "exact pointer, member removed and added",
            "{'meta':{'etag':'1'},'a':1}",
            "{'meta':{'rev':2},'a':1}",
            List.of("/meta/etag", "/meta/rev"),
            "[]"),
        arguments(
            "exact pointer is not a prefix",
            "{'meta':{'updatedAt':'t1','updatedAtX':1}}",
            "{'meta':{'updatedAt':'t2','updatedAtX':2}}",
            List.of("/meta/updatedAt"),
            "[{'op':'replace','path':'/meta/updatedAtX','value':2}]"),
        arguments(
            "ignoring a member ignores its subtree",
            "{'meta':{'a':[1,2]},'x':1}",
            "{'meta':{'a':[3],'b':0},'x':2}",
            List.of("/meta"),
            "[{'op':'replace','path':'/x','value':2}]"),
        arguments(
            "* matches any member",
            "{'pages':{'home':{'updatedAt':1,'title':'A'},'about':{'updatedAt':1,'title':'B'}}}",
            "{'pages':{'home':{'updatedAt':2,'title':'A'},'about':{'updatedAt':3,'title':'C'}}}",
            List.of("/pages/*/updatedAt"),
            "[{'op':'replace','path':'/pages/about/title','value':'C'}]"),
        arguments(
            "* matches any index",
            "{'sections':[{'id':1,'rev':1,'t':'a'},{'id':2,'rev':1,'t':'b'}]}",
            "{'sections':[{'id':1,'rev':2,'t':'a'},{'id':2,'rev':5,'t':'B'}]}",
            List.of("/sections/*/rev"),
            "[{'op':'replace','path':'/sections/1/t','value':'B'}]"),
        arguments(
            "* matches only one level",
            "{'a':{'c':1,'b':{'c':1}}}",
            "{'a':{'c':2,'b':{'c':2}}}",
            List.of("/*/c"),
            "[{'op':'replace','path':'/a/b/c','value':2}]"),
        arguments(
            "escaped pointer",
            "{'a/b':{'~':1},'k':1}",
            "{'a/b':{'~':2},'k':2}",
            List.of("/a~1b/~0"),
            "[{'op':'replace','path':'/k','value':2}]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ignored")
  void ignoredPointersAreLeftOutOfTheDiff(
      String name, String a, String b, List<String> ignore, String expected) {
    DiffOptions options = DEFAULT.withIgnore(ignore.stream().map(JsonPointer::parse).toList());

    Patch patch = JsonDiff.diff(sqJson(a), sqJson(b), options);

    assertThat(patch.toJson()).as(name).isEqualTo(sqJson(expected));
    JsonNode patched = JsonPatch.apply(sqJson(a), patch).document();
    assertThat(JsonDiff.diff(patched, sqJson(b), options).isEmpty())
        .as("%s: after the patch only ignored parts differ", name)
        .isTrue();
  }

  @Test
  void aLargeEditedArrayIsDiffedIntoOneOperationPerEdit() {
    ArrayNode a = Json.NODES.arrayNode();
    for (int i = 0; i < 2000; i++) {
      a.add(sqJson("{'id':'s" + i + "','n':" + i + ",'tags':['x'," + i + "],'style':{'c':'red'}}"));
    }
    ArrayNode b = a.deepCopy();
    for (int i = 0; i < 2000; i += 50) ((ObjectNode) b.get(i)).put("n", -i);
    b.remove(1500);
    b.insert(0, sqJson("{'id':'new','n':0}"));
    b.add(b.remove(700));
    JsonNode doc = Json.NODES.objectNode().set("sections", a);
    JsonNode edited = Json.NODES.objectNode().set("sections", b);

    Patch patch = JsonDiff.diff(doc, edited);

    // 38 edits (n of element 0 stays 0; element 1500 is removed), a remove, an add and a move
    assertThat(patch.ops()).hasSize(41);
    assertThat(JsonPatch.apply(doc, patch).document()).isEqualTo(edited);
  }
}
