package dev.cfgctl.patch;

import static dev.cfgctl.patch.PatchTestSupport.compact;
import static dev.cfgctl.patch.PatchTestSupport.sqJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7396 JSON Merge Patch: the RFC's examples, and deriving merge patches from two documents. */
class MergePatchTest {

  static Stream<Arguments> rfc7396AppendixA() {
    return Stream.of(
        arguments("{'a':'b'}", "{'a':'c'}", "{'a':'c'}"),
        arguments("{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}"),
        arguments("{'a':'b'}", "{'a':null}", "{}"),
        arguments("{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}"),
        arguments("{'a':['b']}", "{'a':'c'}", "{'a':'c'}"),
        arguments("{'a':'c'}", "{'a':['b']}", "{'a':['b']}"),
        arguments("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}"),
        arguments("{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}"),
        arguments("['a','b']", "['c','d']", "['c','d']"),
        arguments("{'a':'b'}", "['c']", "['c']"),
        arguments("{'a':'foo'}", "null", "null"),
        arguments("{'a':'foo'}", "'bar'", "'bar'"),
        arguments("{'e':null}", "{'a':1}", "{'e':null,'a':1}"),
        arguments("[1,2]", "{'a':'b','c':null}", "{'a':'b'}"),
        arguments("{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}"),
        // RFC 7396 section 3
        arguments(
            "{'title':'Goodbye!','author':{'givenName':'John','familyName':'Doe'},"
                + "'tags':['example','sample'],'content':'This will be unchanged'}",
            "{'title':'Hello!','phoneNumber':'+01-123-456-7890','author':{'familyName':null},'tags':['example']}",
            "{'title':'Hello!','author':{'givenName':'John'},'tags':['example'],"
                + "'content':'This will be unchanged','phoneNumber':'+01-123-456-7890'}"));
  }

  @ParameterizedTest(name = "{0} + {1}")
  @MethodSource("rfc7396AppendixA")
  void mergePatchGivesTheRfcResult(String target, String patch, String expected) {
    JsonNode t = sqJson(target);
    JsonNode p = sqJson(patch);
    String targetBefore = compact(t);
    String patchBefore = compact(p);

    assertThat(MergePatch.apply(t, p)).isEqualTo(sqJson(expected));
    assertThat(compact(t)).as("the target is not changed").isEqualTo(targetBefore);
    assertThat(compact(p)).as("the patch is not changed").isEqualTo(patchBefore);
  }

  @Test
  void mergeKeepsMemberOrderAndExactNumbers() {
    JsonNode result =
        MergePatch.apply(sqJson("{'a':1.0,'b':{'x':1e2,'y':2},'c':3}"), sqJson("{'b':{'y':2.50}}"));

    assertThat(compact(result)).isEqualTo("{\"a\":1.0,\"b\":{\"x\":1e2,\"y\":2.50},\"c\":3}");
  }

  @Test
  void resultSharesNothingWithThePatch() {
    JsonNode patch = sqJson("{'list':[1],'obj':{'k':[2]}}");
    JsonNode result = MergePatch.apply(sqJson("{}"), patch);

    ((com.fasterxml.jackson.databind.node.ArrayNode) result.get("list")).add(9);
    ((com.fasterxml.jackson.databind.node.ArrayNode) result.get("obj").get("k")).add(9);

    assertThat(patch).isEqualTo(sqJson("{'list':[1],'obj':{'k':[2]}}"));
  }

  static Stream<Arguments> diffs() {
    return Stream.of(
        arguments("{'a':1,'b':{'c':2}}", "{'a':1,'b':{'c':2}}", "{}"),
        arguments("{'a':1,'b':2}", "{'a':1,'b':3}", "{'b':3}"),
        arguments("{'a':1,'b':2}", "{'a':1}", "{'b':null}"),
        arguments("{'a':1}", "{'a':1,'n':{'x':[null]}}", "{'n':{'x':[null]}}"),
        arguments("{'a':{'b':{'c':1,'d':2}}}", "{'a':{'b':{'c':1,'d':3}}}", "{'a':{'b':{'d':3}}}"),
        arguments("{'a':{'b':1}}", "{'a':{}}", "{'a':{'b':null}}"),
        arguments("{'a':1}", "{'a':{'b':1}}", "{'a':{'b':1}}"),
        arguments("{'a':{'b':1}}", "{'a':[1]}", "{'a':[1]}"),
        arguments("{'a':[1,2]}", "{'a':[1,null]}", "{'a':[1,null]}"),
        arguments("{'a':1}", "{'a':1.0}", "{'a':1.0}"),
        arguments("{'a/b':1,'m~n':2}", "{'a/b':2}", "{'a/b':2,'m~n':null}"),
        arguments("{'a':1}", "[1]", "[1]"),
        arguments("[1]", "{'a':{'b':1}}", "{'a':{'b':1}}"),
        arguments("{'a':1}", "null", "null"),
        arguments("1", "'x'", "'x'"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("diffs")
  void diffIsTheSmallestMergePatch(String a, String b, String expected) {
    JsonNode patch = MergePatch.diff(sqJson(a), sqJson(b));

    assertThat(patch).isEqualTo(sqJson(expected));
    assertThat(MergePatch.apply(sqJson(a), patch)).isEqualTo(sqJson(b));
  }

  static Stream<Arguments> inexpressible() {
    return Stream.of(
        arguments("{'a':1}", "{'a':null}", "/a"),
        arguments("{}", "{'a':null}", "/a"),
        arguments("{'x':{'y':1}}", "{'x':{'y':null}}", "/x/y"),
        arguments("{'x':1}", "{'x':{'y':{'z':null}}}", "/x/y/z"),
        arguments("[1]", "{'k':null}", "/k"),
        arguments("{'a/b':{'~':1}}", "{'a/b':{'~':null}}", "/a~1b/~0"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("inexpressible")
  void diffRefusesWhatAMergePatchCannotSay(String a, String b, String pointer) {
    assertThatThrownBy(() -> MergePatch.diff(sqJson(a), sqJson(b)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a merge patch cannot set " + pointer + " to null (null means remove in RFC 7396)");
  }

  @Test
  void diffKeepsAnUnchangedNullMember() {
    JsonNode patch = MergePatch.diff(sqJson("{'a':null,'b':1}"), sqJson("{'a':null,'b':2}"));

    assertThat(patch).isEqualTo(sqJson("{'b':2}"));
  }
}
