package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input of every kind gets one line {@code cfgctl: ...} (and maybe a {@code hint:}), the right
 * exit code, nothing on stdout and never a stack trace.
 */
class BadInputTest {
  @TempDir Path tmp;
  CliRunner cli;
  String good;

  @BeforeEach
  void files() {
    cli = new CliRunner(tmp);
    good = cli.write("good.json", "{\"a\": 1}\n");
  }

  static Stream<Arguments> malformedDocuments() {
    return Stream.of(
        arguments("malformed", "{\n  \"a\": 1,\n  \"b\": [1, 2,, 3]\n}\n"),
        arguments("empty", ""),
        arguments("whitespace-only", "  \n\t\n"),
        arguments("second-value", "{\"a\": 1}\n{\"b\": 2}\n"),
        arguments("duplicate-keys", "{\n  \"a\": 1,\n  \"a\": 2\n}\n"),
        arguments("single-quotes", "{'a': 1}"),
        arguments("leading-zero", "{\"a\": 007}"),
        arguments("unquoted-newline-in-string", "{\n  \"a\": \"line one\nline two\"\n}\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedDocuments")
  void malformedDocumentIsAUsageErrorNamingWhere(String name, String content) {
    String file = cli.write(name + ".json", content);
    Golden.check("bad-input-" + name, cli.fails(2, "diff", file, good), 2);
  }

  @Test
  void malformedJsonMessageNamesLineAndColumn() {
    String file = cli.write("doc.json", "{\n  \"a\": 1,\n  \"b\": [1, 2,, 3]\n}\n");
    assertThat(cli.fails(2, "diff", good, file).err()).contains("at line 3, column 14");
  }

  @Test
  void binaryGarbageIsAUsageError() {
    byte[] png = {
      (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, '\r', 'I', 'H', 'D', 'R'
    };
    String file = cli.write("logo.png", png);
    Golden.check("bad-input-binary", cli.fails(2, "diff", file, good), 2);
  }

  @Test
  void invalidUtf8IsAUsageError() {
    String file =
        cli.write("latin1.json", "{\"a\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
    Golden.check("bad-input-invalid-utf8", cli.fails(2, "diff", file, good), 2);
  }

  /**
   * These messages carry the JSON parser's internals: a configuration switch the user cannot set
   * ({@code JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS}, {@code Feature 'ALLOW_COMMENTS'}), a limit's
   * Java method ({@code StreamReadConstraints.getMaxNumberLength()}), or a source excerpt
   * ({@code [Source: (byte[])"{...}}) that is cut at its first line break, leaving
   * {@code (start marker at [Source: (byte[])"{} dangling.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("documentsWithParserJargonInTheMessage")
  void malformedJsonMessageSpeaksToPeopleNotParserInternals(String name, String content) {
    String file = cli.write(name + ".json", content);
    String err = cli.fails(2, "diff", file, good).err();
    assertThat(err)
        .doesNotContain("[Source:")
        .doesNotContain("JsonReadFeature")
        .doesNotContain("ALLOW_")
        .doesNotContain("StreamReadConstraints")
        .doesNotContain("`");
  }

  static Stream<Arguments> documentsWithParserJargonInTheMessage() {
    return Stream.of(
        arguments("truncated-pretty", "{\n  \"a\": 1,\n  \"b\": [\n    1,\n    2\n"),
        arguments("truncated-one-line", "[1, 2"),
        arguments("mismatched-bracket", "{\"a\": [}"),
        arguments("nan", "{\"a\": NaN}"),
        arguments("comment", "{\"a\": 1} // the answer"),
        arguments("number-too-long", "{\"a\": " + "9".repeat(1001) + "}"));
  }

  /**
   * A second JSON value after the first is reported as "unexpected content after the JSON value",
   * but a stray word is reported as if a value were still expected ("Unrecognized token 'x': was
   * expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')").
   */
  @Test
  void trailingGarbageIsReportedAsContentAfterTheValue() {
    String file = cli.write("doc.json", "{\"a\": 1} x");
    assertThat(cli.fails(2, "diff", file, good).err())
        .startsWith(
            "cfgctl: $TMP/doc.json: unexpected content after the JSON value at line 1, column ")
        .doesNotContain("was expecting");
  }

  @Test
  void malformedStdinIsCalledStdin() {
    Golden.check("bad-input-stdin", cli.stdin("{\"a\": tru}").fails(2, "diff", "-", good), 2);
  }

  @Test
  void verboseAddsTheStackTraceAfterTheErrorLine() {
    CliRunner.Result r = cli.run("diff", "--verbose", good, cli.path("nope.json"));
    assertThat(r.exit()).isEqualTo(6);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith("cfgctl: $TMP/nope.json: no such file\nhint: check the path")
        .contains("\tat ");
  }

  @Test
  void missingFileIsNotFound() {
    Golden.check("bad-input-missing-file", cli.fails(6, "diff", cli.path("nope.json"), good), 6);
  }

  @Test
  void directoryInsteadOfAFileIsAUsageError() {
    cli.write("configs/a.json", "{}");
    Golden.check("bad-input-directory", cli.fails(2, "diff", cli.path("configs"), good), 2);
  }

  @Test
  void malformedDocumentToPatchIsAUsageError() {
    String doc = cli.write("doc.json", "{\"a\": }");
    String patch = cli.write("p.json", "[]");
    Golden.check("bad-input-patch-document", cli.fails(2, "patch", doc, patch), 2);
  }

  @Test
  void malformedDocumentToValidateIsAUsageError() {
    String schema = cli.write("schema.json", "{\"type\": \"object\"}");
    String doc = cli.write("doc.json", "{\"a\" 1}");
    Golden.check(
        "bad-input-validate-document", cli.fails(2, "validate", "--schema", schema, doc), 2);
  }

  // ---------------------------------------------------------------- nesting depth

  @Test
  void documentDeeperThanTheDefaultLimitOf200IsRefused() {
    String deep = cli.write("deep.json", nested(201));
    Golden.check("bad-input-depth-201", cli.fails(2, "diff", deep, good), 2);
  }

  @Test
  void deeplyNestedObjectsAreRefusedToo() {
    String deep = cli.write("deep.json", "{\"a\":".repeat(201) + "1" + "}".repeat(201));
    Golden.check("bad-input-depth-201-objects", cli.fails(2, "patch", deep, good), 2);
  }

  @Test
  void documentOf200LevelsPassesByDefault() {
    String deep = cli.write("deep.json", nested(200));
    CliRunner.Result r = cli.run("diff", deep, deep);
    assertThat(r.exit()).as(r.describe()).isZero();
    assertThat(r.out()).isEqualTo("[]\n");
  }

  @Test
  void maxDepthLowersTheLimit() {
    String deep = cli.write("deep.json", nested(200));
    Golden.check(
        "bad-input-max-depth-100", cli.fails(2, "diff", "--max-depth", "100", deep, deep), 2);
  }

  @Test
  void maxDepthOf1000HandlesDocumentsThatDeep() {
    String a = cli.write("a.json", nested(1000));
    String b = cli.write("b.json", "[".repeat(1000) + "1" + "]".repeat(1000));
    CliRunner.Result diff = cli.run("diff", "--max-depth", "1000", a, b);
    assertThat(diff.exit()).as(diff.describe()).isEqualTo(1);
    String patch = cli.write("p.json", diff.out());
    CliRunner.Result applied = cli.run("patch", "--max-depth", "1000", a, patch);
    assertThat(applied.exit()).as(applied.describe()).isZero();
    assertThat(applied.out()).isEqualTo(cli.read("b.json") + "\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"5000", "0", "-1"})
  void maxDepthOutsideOneTo1000IsAUsageError(String depth) {
    CliRunner.Result r = cli.fails(2, "diff", "--max-depth", depth, good, good);
    Golden.check("bad-input-max-depth-out-of-range", r, 2);
  }

  @Test
  void maxDepthThatIsNotANumberIsAUsageError() {
    Golden.check(
        "bad-input-max-depth-not-a-number",
        cli.fails(2, "diff", "--max-depth", "deep", good, good),
        2);
  }

  // ---------------------------------------------------------------- the command line itself

  @Test
  void unknownCommandIsAUsageError() {
    Golden.check("bad-input-unknown-command", cli.fails(2, "apply", good), 2);
  }

  @Test
  void unknownTopLevelOptionIsAUsageError() {
    Golden.check("bad-input-unknown-top-option", cli.fails(2, "--colour", "diff", good, good), 2);
  }

  @Test
  void unknownSubcommandOptionIsAUsageError() {
    Golden.check(
        "bad-input-unknown-option",
        cli.fails(2, "validate", "--strict", "--schema", good, good),
        2);
  }

  /** One hint line, as git gives: the command or option probably meant, when one is close. */
  @Test
  void aMistypedCommandOrOptionGetsADidYouMean() {
    Golden.check("bad-input-did-you-mean-command", cli.fails(2, "dif", good, good), 2);
    Golden.check(
        "bad-input-did-you-mean-subcommand", cli.fails(2, "lock", "lsit", "--tenant", "acme"), 2);
    Golden.check("bad-input-did-you-mean-option", cli.fails(2, "patch", "--dryrun", good, good), 2);
    Golden.check(
        "bad-input-did-you-mean-option-with-value",
        cli.fails(2, "history", "acme/landing", "--limt", "3"),
        2);
    assertThat(cli.fails(2, "patch", "-dry-run", good, good).err())
        .endsWith("\nhint: did you mean --dry-run?\n");
    assertThat(cli.fails(2, "diff", "--ignroe=/a", good, good).err())
        .endsWith("\nhint: did you mean --ignore?\n");
    assertThat(cli.fails(2, "validate", "--shema=s.json", good).err())
        .isEqualTo(
            "cfgctl: missing required option: '--schema=SCHEMA'\n"
                + "hint: did you mean --schema instead of --shema?\n");
    // nothing close: the usual pointer to --help
    assertThat(cli.fails(2, "frobnicate").err())
        .endsWith("\nhint: run 'cfgctl --help' for usage\n");
  }

  /** --version is cfgctl's version everywhere; a config's version is REF@N or --at N. */
  @Test
  void getWithTheVersionOptionOfOldSaysWhatToWriteInstead() {
    Golden.check("bad-input-get-version", cli.fails(2, "get", "acme/landing", "--version", "7"), 2);
  }

  /**
   * patch's -o is a format or a file name with a . or / in it: a bare name gets the ./ it needs.
   */
  @Test
  void patchOutputToABareFileNameHintsAtDotSlash() {
    Golden.check(
        "bad-input-patch-output-bare-name", cli.fails(2, "patch", good, good, "-o", "out"), 2);
  }

  @Test
  void optionMissingItsValueIsAUsageError() {
    Golden.check("bad-input-option-without-value", cli.fails(2, "diff", good, good, "--ignore"), 2);
  }

  @Test
  void helpForAnUnknownCommandIsAUsageError() {
    CliRunner.Result r = cli.fails(2, "help", "apply");
    assertThat(r.err()).contains("apply");
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth) + "\n";
  }
}
