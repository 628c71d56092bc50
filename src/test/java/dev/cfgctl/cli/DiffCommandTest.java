package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.patch.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code cfgctl diff}: every option, output format and exit code, against golden files. */
class DiffCommandTest {
  @TempDir Path tmp;
  CliRunner cli;
  String landing;
  String spring;
  String v1;
  String v2;

  @BeforeEach
  void files() {
    cli = new CliRunner(tmp);
    landing = cli.copy("/examples/landing.json");
    spring = cli.copy("/cli/landing.spring.json");
    v1 = cli.copy("/cli/site-v1.json");
    v2 = cli.copy("/cli/site-v2.json");
  }

  @Test
  void equalDocumentsGiveAnEmptyPatchAndExitZero() {
    String copy = cli.write("copy.json", Json.compact(Json.parse(cli.read("landing.json"))));
    Golden.check("diff-equal", cli.run("diff", landing, copy), 0);
  }

  @Test
  void differentDocumentsGiveAJsonPatchAndExitOne() {
    CliRunner.Result r = cli.run("diff", landing, spring);
    Golden.check("diff-different", r, 1);
    assertPatchTurnsInto(landing, r.out(), "landing.spring.json");
  }

  @Test
  void explicitJsonOutputIsTheDefault() {
    assertThat(cli.run("diff", "-o", "json", landing, spring).out())
        .isEqualTo(cli.run("diff", landing, spring).out());
  }

  @Test
  void textOutputShowsOneLinePerChangeAndASummary() {
    Golden.check("diff-text", cli.run("diff", "-o", "text", landing, spring), 1);
  }

  @Test
  void textOutputShowsOldValuesMovesAddsAndRemoves() {
    Golden.check("diff-text-all-kinds", cli.run("diff", "--output", "text", v1, v2), 1);
  }

  @Test
  void textOutputOfEqualDocumentsSaysNoDifferences() {
    Golden.check("diff-text-equal", cli.run("diff", "-o", "text", landing, landing), 0);
  }

  @Test
  void prettyIndentsThePatch() {
    CliRunner.Result r = cli.run("diff", "--pretty", v1, v2);
    Golden.check("diff-pretty", r, 1);
    assertPatchTurnsInto(v1, r.out(), "site-v2.json");
  }

  @Test
  void compactPrintsThePatchOnOneLine() {
    CliRunner.Result r = cli.run("diff", "--compact", v1, v2);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEqualTo(Json.compact(Json.parse(r.out())) + "\n");
  }

  @Test
  void prettyAndCompactTogetherAreAUsageError() {
    Golden.check(
        "diff-pretty-and-compact", cli.fails(2, "diff", "--pretty", "--compact", v1, v2), 2);
  }

  @Test
  void withTestsPutsATestBeforeEveryReplaceRemoveAndMove() {
    CliRunner.Result r = cli.run("diff", "--with-tests", "--pretty", v1, v2);
    Golden.check("diff-with-tests", r, 1);
    assertPatchTurnsInto(v1, r.out(), "site-v2.json");
  }

  @Test
  void patchWithTestsRefusesADocumentThatDriftedSinceTheDiff() {
    String patch = cli.write("p.json", cli.run("diff", "--with-tests", v1, v2).out());
    String drifted =
        cli.write("drifted.json", cli.read("site-v1.json").replace("\"Acme\"", "\"Acme Inc\""));
    Golden.check("diff-with-tests-refuses-drift", cli.fails(1, "patch", drifted, patch), 1);
  }

  @Test
  void noMovesEmitsOnlyAddRemoveAndReplace() {
    CliRunner.Result r = cli.run("diff", "--no-moves", "--pretty", v1, v2);
    Golden.check("diff-no-moves", r, 1);
    assertThat(r.out()).doesNotContain("\"move\"").doesNotContain("\"copy\"");
    assertPatchTurnsInto(v1, r.out(), "site-v2.json");
  }

  @Test
  void arrayKeyMatchesArrayElementsByThatMember() {
    CliRunner.Result r =
        cli.run("diff", "--array-key", "slug", "--array-key", "id", "--pretty", v1, v2);
    Golden.check("diff-array-key", r, 1);
    assertPatchTurnsInto(v1, r.out(), "site-v2.json");
  }

  /**
   * PRODUCT.md 2: arrays of objects with an identity ("id, or a key named by --array-key KEY") are
   * matched by it. Today --array-key replaces id instead of adding to it, so the help's own example
   * ({@code --array-key slug}) makes diffs of id-keyed arrays worse (here: remove + add instead of
   * a move; on landing.json 14 ops instead of 4).
   */
  @Test
  void arrayKeyStillMatchesElementsByIdWhereTheyHaveNoSuchKey() {
    String withSlug = cli.run("diff", "--array-key", "slug", v1, v2).out();
    String withSlugAndId =
        cli.run("diff", "--array-key", "slug", "--array-key", "id", v1, v2).out();
    assertThat(withSlug)
        .as("diff --array-key slug (items carry ids, not slugs)")
        .isEqualTo(withSlugAndId);
  }

  @Test
  void ignoreLeavesAPointerOutOfTheDiff() {
    CliRunner.Result r = cli.run("diff", "-o", "text", "--ignore", "/meta/updatedAt", v1, v2);
    Golden.check("diff-ignore", r, 1);
    assertThat(r.out()).doesNotContain("/meta/updatedAt").contains("/meta/etag");
  }

  @Test
  void ignoreStarMatchesAnyMemberOrIndex() {
    Golden.check(
        "diff-ignore-star",
        cli.run("diff", "-o", "text", "--ignore", "/meta/*", "--ignore", "/items/*/ts", v1, v2),
        1);
  }

  @Test
  void ignoringEveryDifferenceMakesTheDocumentsEqual() {
    String a = cli.write("a.json", "{\"name\":\"x\",\"meta\":{\"rev\":1}}");
    String b = cli.write("b.json", "{\"name\":\"x\",\"meta\":{\"rev\":2}}");
    Golden.check("diff-ignore-all-differences", cli.run("diff", "--ignore", "/meta/rev", a, b), 0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"meta/updatedAt", "/a~2b"})
  void ignoreWithAnInvalidPointerIsAUsageError(String pointer) {
    CliRunner.Result r = cli.fails(2, "diff", "--ignore", pointer, v1, v2);
    Golden.check("diff-ignore-invalid-" + (pointer.startsWith("/") ? "escape" : "no-slash"), r, 2);
  }

  @Test
  void mergePatchFormatPrintsAnRfc7396Patch() {
    CliRunner.Result r = cli.run("diff", "--format", "merge-patch", "--pretty", v1, v2);
    Golden.check("diff-merge-patch", r, 1);
    String patch = cli.write("merge.json", r.out());
    CliRunner.Result applied = cli.run("patch", "--format", "merge-patch", v1, patch);
    assertThat(Json.compact(Json.parse(applied.out())))
        .isEqualTo(Json.compact(Json.parse(cli.read("site-v2.json"))));
  }

  @Test
  void mergePatchOfEqualDocumentsIsAnEmptyObject() {
    Golden.check("diff-merge-patch-equal", cli.run("diff", "--format", "merge-patch", v1, v1), 0);
  }

  @Test
  void mergePatchRefusesToSetAMemberToNull() {
    String a = cli.write("a.json", "{\"theme\":{\"color\":\"teal\",\"logo\":\"x.png\"}}");
    String b = cli.write("b.json", "{\"theme\":{\"color\":\"teal\",\"logo\":null}}");
    Golden.check("diff-merge-patch-null", cli.fails(2, "diff", "--format", "merge-patch", a, b), 2);
  }

  @Test
  void mergePatchRefusesOptionsOnlyJsonPatchHas() {
    Golden.check(
        "diff-merge-patch-with-tests",
        cli.fails(2, "diff", "--format", "merge-patch", "--with-tests", v1, v2),
        2);
  }

  @Test
  void unknownPatchFormatIsAUsageError() {
    Golden.check("diff-format-unknown", cli.fails(2, "diff", "--format", "jsonpatch", v1, v2), 2);
  }

  @Test
  void firstOperandFromStdin() {
    CliRunner.Result r = cli.stdin(cli.read("site-v1.json")).run("diff", "-", v2);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEqualTo(cli.run("diff", v1, v2).out());
  }

  @Test
  void secondOperandFromStdin() {
    CliRunner.Result r = cli.stdin(cli.read("site-v2.json")).run("diff", v1, "-");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEqualTo(cli.run("diff", v1, v2).out());
  }

  @Test
  void bothOperandsFromStdinIsAUsageError() {
    Golden.check("diff-both-stdin", cli.stdin("{}").fails(2, "diff", "-", "-"), 2);
  }

  @Test
  void yamlOutputIsAUsageError() {
    Golden.check("diff-output-yaml", cli.fails(2, "diff", "-o", "yaml", v1, v2), 2);
  }

  @Test
  void missingSecondOperandIsAUsageError() {
    Golden.check("diff-missing-operand", cli.fails(2, "diff", v1), 2);
  }

  @Test
  void missingOperandsAreAUsageError() {
    Golden.check("diff-no-operands", cli.fails(2, "diff"), 2);
  }

  @Test
  void extraOperandIsAUsageError() {
    Golden.check("diff-extra-operand", cli.fails(2, "diff", v1, v2, v2), 2);
  }

  @Test
  void unknownOptionIsAUsageError() {
    Golden.check("diff-unknown-option", cli.fails(2, "diff", "--moves", v1, v2), 2);
  }

  @Test
  void numbersKeepTheirExactText() {
    String a = cli.write("a.json", "{\"price\":1.10,\"big\":12345678901234567890123,\"e\":1E+2}");
    String b = cli.write("b.json", "{\"price\":1.1,\"big\":12345678901234567890124,\"e\":1E+2}");
    Golden.check("diff-exact-numbers", cli.run("diff", "--with-tests", a, b), 1);
  }

  @Test
  void keysWithSlashAndTildeAreEscapedInPointers() {
    String a = cli.write("a.json", "{\"a/b\":{\"c~d\":1},\"\":2}");
    String b = cli.write("b.json", "{\"a/b\":{\"c~d\":2}}");
    CliRunner.Result r = cli.run("diff", a, b);
    Golden.check("diff-escaped-keys", r, 1);
    assertPatchTurnsInto(a, r.out(), "b.json");
  }

  /**
   * Applies {@code patch} to {@code doc} with {@code cfgctl patch} and expects {@code expected}.
   */
  private void assertPatchTurnsInto(String doc, String patch, String expected) {
    CliRunner.Result applied = cli.stdin(patch).run("patch", doc, "-");
    assertThat(applied.exit()).as("applying the diff\n%s", applied.describe()).isZero();
    assertThat(Json.compact(Json.parse(applied.out())))
        .as("the diff applied to %s", doc)
        .isEqualTo(Json.compact(Json.parse(cli.read(expected))));
  }
}
