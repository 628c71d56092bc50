package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cfgctl patch}: output targets, atomic in-place writes, dry runs, schemas and failures. */
class PatchCommandTest {
  private static final String FAILS_AT_OP_2 =
      "[\n"
          + "  {\"op\": \"replace\", \"path\": \"/seo/title\", \"value\": \"Spring sale\"},\n"
          + "  {\"op\": \"add\", \"path\": \"/seo/keywords/-\", \"value\": \"sale\"},\n"
          + "  {\"op\": \"remove\", \"path\": \"/pages/0/sections/9\"}\n"
          + "]\n";

  @TempDir Path tmp;
  CliRunner cli;
  String landing;
  String patch;
  String schema;

  @BeforeEach
  void files() {
    cli = new CliRunner(tmp);
    landing = cli.copy("/examples/landing.json");
    patch = cli.copy("/examples/spring-sale.patch.json");
    schema = cli.copy("/examples/landing.schema.json");
  }

  @Test
  void resultGoesToStdout() {
    CliRunner.Result r = cli.run("patch", landing, patch);
    Golden.check("patch-stdout", r, 0);
    assertSameJson(r.out(), CliRunner.resource("/cli/landing.spring.json"));
  }

  @Test
  void prettyResultOnStdout() {
    CliRunner.Result r = cli.run("patch", "--pretty", landing, patch);
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo(CliRunner.resource("/cli/landing.spring.json"));
  }

  @Test
  void outputFileGetsTheResultLaidOutLikeAPrettyInput() {
    CliRunner.Result r = cli.run("patch", landing, patch, "--output-file", cli.path("out.json"));
    Golden.check("patch-to-file", r, 0);
    assertThat(cli.read("out.json")).isEqualTo(CliRunner.resource("/cli/landing.spring.json"));
    assertNoTemporaryFilesIn(tmp);
  }

  @Test
  void outputFileNamedByDashOStillWorksWithADeprecationNote() {
    CliRunner.Result r = cli.run("patch", landing, patch, "-o", cli.path("out.json"));
    assertThat(r.exit()).as(r.describe()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo("cfgctl: note: -o FILE is deprecated; write --output-file $TMP/out.json\n");
    assertThat(cli.read("out.json")).isEqualTo(CliRunner.resource("/cli/landing.spring.json"));
  }

  @Test
  void outputFileAndDashOFileTogetherAreAUsageError() {
    CliRunner.Result r =
        cli.fails(
            2,
            "patch",
            landing,
            patch,
            "-o",
            cli.path("a.json"),
            "--output-file",
            cli.path("b.json"));
    assertThat(r.err()).isEqualTo("cfgctl: -o FILE and --output-file exclude each other\n");
    assertThat(tmp.resolve("a.json")).doesNotExist();
    assertThat(tmp.resolve("b.json")).doesNotExist();
  }

  @Test
  void inPlaceWithOutputFileNamesTheOptionGiven() {
    CliRunner.Result r =
        cli.fails(2, "patch", "--in-place", landing, patch, "--output-file", cli.path("out.json"));
    assertThat(r.err()).isEqualTo("cfgctl: --in-place and --output-file exclude each other\n");
  }

  @Test
  void outputFileOfACompactInputIsCompact() {
    String compact = cli.write("compact.json", "{\"a\":1,\"b\":[1,2]}");
    String p = cli.write("p.json", "[{\"op\":\"add\",\"path\":\"/b/-\",\"value\":3}]");
    CliRunner.Result r = cli.run("patch", compact, p, "--output", cli.path("out.json"));
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(cli.read("out.json")).isEqualTo("{\"a\":1,\"b\":[1,2,3]}\n");
  }

  @Test
  void outputFileIntoAMissingDirectoryIsNotFound() {
    Golden.check(
        "patch-to-missing-directory",
        cli.fails(6, "patch", landing, patch, "-o", cli.path("no/such/dir/out.json")),
        6);
  }

  @Test
  void outputFileThatIsADirectoryIsAUsageError() {
    cli.write("sub/keep.txt", "x");
    Golden.check(
        "patch-to-directory", cli.fails(2, "patch", landing, patch, "-o", cli.path("sub")), 2);
  }

  @Test
  void inPlaceReplacesTheFileAndLeavesNoTemporaryFile() {
    CliRunner.Result r = cli.run("patch", "--in-place", landing, patch);
    Golden.check("patch-in-place", r, 0);
    assertThat(cli.read("landing.json")).isEqualTo(CliRunner.resource("/cli/landing.spring.json"));
    assertNoTemporaryFilesIn(tmp);
  }

  @Test
  void inPlaceKeepsTheFilePermissions() throws IOException {
    Path file = tmp.resolve("landing.json");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(cli.run("patch", "-i", landing, patch).exit()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void inPlaceWithAFailingPatchLeavesTheFileByteIdentical() {
    byte[] before = cli.bytes("landing.json");
    String failing = cli.write("fails.json", FAILS_AT_OP_2);
    Golden.check("patch-in-place-fails", cli.fails(1, "patch", "--in-place", landing, failing), 1);
    assertThat(cli.bytes("landing.json")).isEqualTo(before);
    assertNoTemporaryFilesIn(tmp);
  }

  @Test
  void inPlaceWithAResultTheSchemaRefusesLeavesTheFileByteIdentical() {
    byte[] before = cli.bytes("landing.json");
    String breaking =
        cli.write(
            "breaking.json", "[{\"op\":\"replace\",\"path\":\"/site\",\"value\":\"Acme Shoes\"}]");
    CliRunner.Result r = cli.fails(1, "patch", "--in-place", "--schema", schema, landing, breaking);
    assertThat(r.err())
        .startsWith(
            "cfgctl: the patched $TMP/landing.json does not match"
                + " $TMP/landing.schema.json: /site: does not match the regex pattern ^[a-z0-9][a-z0-9-]*$\n");
    assertThat(cli.bytes("landing.json")).isEqualTo(before);
    assertNoTemporaryFilesIn(tmp);
  }

  /**
   * --in-place should write the document the operand names. On a symlink (a config kept in a
   * dotfiles repository, say) it replaces the link with a regular file and leaves the real file
   * unchanged.
   */
  @Test
  void inPlaceThroughASymlinkUpdatesTheFileItPointsTo() throws IOException {
    Path link = tmp.resolve("link.json");
    Files.createSymbolicLink(link, tmp.resolve("landing.json"));
    assertThat(cli.run("patch", "--in-place", link.toString(), patch).exit()).isZero();
    assertThat(Files.isSymbolicLink(link)).as("link.json is still a symlink").isTrue();
    assertThat(cli.read("landing.json"))
        .as("the file the link points to")
        .isEqualTo(CliRunner.resource("/cli/landing.spring.json"));
  }

  @Test
  void inPlaceWithTheDocumentOnStdinIsAUsageError() {
    Golden.check(
        "patch-in-place-stdin",
        cli.stdin(cli.read("landing.json")).fails(2, "patch", "--in-place", "-", patch),
        2);
  }

  @Test
  void inPlaceWithAnOutputFileIsAUsageError() {
    Golden.check(
        "patch-in-place-and-output-file",
        cli.fails(2, "patch", "--in-place", landing, patch, "-o", cli.path("out.json")),
        2);
    assertThat(tmp.resolve("out.json")).doesNotExist();
  }

  @Test
  void dryRunSaysOnStderrThatThePatchAppliesAndWritesNothing() {
    byte[] before = cli.bytes("landing.json");
    CliRunner.Result r = cli.run("patch", "--dry-run", "--in-place", landing, patch);
    Golden.check("patch-dry-run", r, 0);
    assertThat(cli.bytes("landing.json")).isEqualTo(before);
    assertNoTemporaryFilesIn(tmp);
  }

  @Test
  void dryRunWithJsonOutputPrintsAReport() {
    Golden.check(
        "patch-dry-run-json", cli.run("patch", "--dry-run", "-o", "json", landing, patch), 0);
  }

  @Test
  void dryRunWithASchemaSaysTheResultMatches() {
    Golden.check(
        "patch-dry-run-schema",
        cli.run("patch", "--dry-run", "--schema", schema, landing, patch),
        0);
    Golden.check(
        "patch-dry-run-schema-json",
        cli.run("patch", "--dry-run", "-o", "json", "--schema", schema, landing, patch),
        0);
  }

  @Test
  void dryRunOfAFailingPatchExitsOne() {
    String failing = cli.write("fails.json", FAILS_AT_OP_2);
    Golden.check("patch-dry-run-fails", cli.fails(1, "patch", "--dry-run", landing, failing), 1);
  }

  /**
   * "In CI: does the patch still apply?" with -o json: the script gets a report when the answer is
   * yes, but nothing at all on stdout when it is no (PRODUCT.md 7: -o json prints one JSON value
   * for scripts).
   */
  @Test
  void dryRunWithJsonOutputReportsAPatchThatDoesNotApply() {
    String failing = cli.write("fails.json", FAILS_AT_OP_2);
    CliRunner.Result r = cli.run("patch", "--dry-run", "-o", "json", landing, failing);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .as("stdout of a failed dry run with -o json\n%s", r.describe())
        .isNotEmpty();
    JsonNode report = Json.parse(r.out());
    assertThat(report.path("applies").asBoolean(true)).as("\"applies\" in %s", r.out()).isFalse();
  }

  @Test
  void mergePatchFormat() {
    String merge =
        cli.write(
            "merge.json",
            "{\"theme\": {\"radius\": null, \"palette\": {\"accent\": \"#2da44e\"}}, \"analytics\": null}\n");
    CliRunner.Result r = cli.run("patch", "--format", "merge-patch", "--pretty", landing, merge);
    Golden.check("patch-merge-patch", r, 0);
  }

  @Test
  void mergePatchFromStdinToAFile() {
    CliRunner.Result r =
        cli.stdin("{\"theme\":{\"color\":\"teal\"}}")
            .run(
                "patch",
                "--format",
                "merge-patch",
                landing,
                "-",
                "--output-file",
                cli.path("out.json"));
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEmpty();
    assertThat(Json.parse(cli.read("out.json")).at("/theme/color").textValue()).isEqualTo("teal");
  }

  @Test
  void documentFromStdin() {
    CliRunner.Result r = cli.stdin(cli.read("landing.json")).run("patch", "-", patch);
    assertThat(r.exit()).isZero();
    assertSameJson(r.out(), CliRunner.resource("/cli/landing.spring.json"));
  }

  @Test
  void documentAndPatchBothFromStdinIsAUsageError() {
    Golden.check("patch-both-stdin", cli.stdin("{}").fails(2, "patch", "-", "-"), 2);
  }

  @Test
  void schemaThatTheResultMatchesLetsItThrough() {
    CliRunner.Result r = cli.run("patch", "--schema", schema, landing, patch);
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertSameJson(r.out(), CliRunner.resource("/cli/landing.spring.json"));
  }

  @Test
  void schemaThatTheResultViolatesExitsOneAndWritesNothing() {
    String breaking =
        cli.write(
            "breaking.json",
            "[{\"op\":\"replace\",\"path\":\"/site\",\"value\":\"Acme Shoes\"},"
                + "{\"op\":\"remove\",\"path\":\"/pages/0/slug\"}]");
    CliRunner.Result r =
        cli.fails(1, "patch", "--schema", schema, landing, breaking, "-o", cli.path("out.json"));
    assertThat(r.err())
        .startsWith(
            "cfgctl: the patched $TMP/landing.json does not match"
                + " $TMP/landing.schema.json: /site: does not match the regex pattern ^[a-z0-9][a-z0-9-]*$"
                + " (and 1 more)\nhint: see every error with: cfgctl patch $TMP/landing.json $TMP/breaking.json"
                + " | cfgctl validate --schema $TMP/landing.schema.json -\n");
    assertThat(tmp.resolve("out.json")).doesNotExist();
    assertNoTemporaryFilesIn(tmp);
  }

  @Test
  void patchFailingAtOpKNamesTheOpItsPathAndTheReason() {
    String failing = cli.write("fails.json", FAILS_AT_OP_2);
    Golden.check("patch-fails-at-op", cli.fails(1, "patch", landing, failing), 1);
  }

  @Test
  void patchFailingOnAPathThatDoesNotExistSaysSo() {
    String failing =
        cli.write(
            "fails.json", "[{\"op\":\"replace\",\"path\":\"/seo/author/name\",\"value\":\"x\"}]");
    Golden.check("patch-fails-missing-path", cli.fails(1, "patch", landing, failing), 1);
  }

  @Test
  void failedTestOpExitsOneWithAHint() {
    String stale =
        cli.write(
            "stale.json",
            "[{\"op\":\"test\",\"path\":\"/seo/title\",\"value\":\"Acme Shoes\"},"
                + "{\"op\":\"replace\",\"path\":\"/seo/title\",\"value\":\"Acme Shoes - sale\"}]");
    Golden.check("patch-test-op-fails", cli.fails(1, "patch", landing, stale), 1);
  }

  @Test
  void patchWithAnUnknownOpIsMalformed() {
    String bad = cli.write("bad.json", "[{\"op\":\"rename\",\"path\":\"/site\",\"value\":\"x\"}]");
    Golden.check("patch-unknown-op", cli.fails(2, "patch", landing, bad), 2);
  }

  @Test
  void patchOpWithoutAValueIsMalformed() {
    String bad =
        cli.write(
            "bad.json",
            "[{\"op\":\"add\",\"path\":\"/a\",\"value\":1},{\"op\":\"replace\",\"path\":\"/site\"}]");
    Golden.check("patch-op-without-value", cli.fails(2, "patch", landing, bad), 2);
  }

  @Test
  void patchWithAPointerWithoutLeadingSlashIsMalformed() {
    String bad = cli.write("bad.json", "[{\"op\":\"remove\",\"path\":\"site\"}]");
    Golden.check("patch-bad-pointer", cli.fails(2, "patch", landing, bad), 2);
  }

  @Test
  void patchThatIsNotJsonIsMalformed() {
    String bad = cli.write("bad.json", "[{\"op\":\"remove\" \"path\":\"/site\"}]");
    Golden.check("patch-not-json", cli.fails(2, "patch", landing, bad), 2);
  }

  @Test
  void objectGivenAsJsonPatchSuggestsMergePatch() {
    String merge = cli.write("merge.json", "{\"site\":\"acme-boots\"}");
    Golden.check("patch-object-as-json-patch", cli.fails(2, "patch", landing, merge), 2);
  }

  /**
   * The same malformed patch is named "<stdin>" when it is the document but "-" when it is the
   * patch.
   */
  @Test
  void malformedPatchFromStdinIsCalledStdinLikeEverythingElseFromStdin() {
    CliRunner.Result r =
        cli.stdin("[{\"op\":\"frob\",\"path\":\"/a\"}]").fails(2, "patch", landing, "-");
    assertThat(r.err()).startsWith("cfgctl: <stdin>: ");
  }

  /** Patch's -o doubles as the output file, so a format it does not know becomes a file name. */
  @Test
  void yamlOutputIsAUsageError() {
    CliRunner.Result r = cli.run("patch", "--dry-run", "-o", "yaml", landing, patch);
    assertThat(r.exit()).as("exit code\n%s", r.describe()).isEqualTo(2);
    CliRunner.assertOneLineError(r);
  }

  @Test
  void numbersAndKeyOrderSurviveAPatch() {
    String doc =
        cli.write(
            "doc.json",
            "{\"z\":1.0,\"a\":12345678901234567890123,\"e\":1E+2,\"m\":-0.0,\"t\":\"caf\u00e9\"}");
    String p =
        cli.write(
            "p.json",
            "[{\"op\":\"test\",\"path\":\"/z\",\"value\":1},"
                + "{\"op\":\"add\",\"path\":\"/b\",\"value\":0.10}]");
    Golden.check("patch-exact-numbers", cli.run("patch", doc, p), 0);
  }

  /**
   * Text outside the Basic Multilingual Plane comes out as a \\uD83D\\uDE00 surrogate pair while
   * other non-ASCII text stays as written, so an empty patch applied in place rewrites every emoji.
   */
  @Test
  void emojiAreWrittenAsUtf8LikeOtherText() {
    String doc = cli.write("doc.json", "{\"headline\":\"Run \u2713 \ud83c\udfc3\"}\n");
    String empty = cli.write("empty.json", "[]");
    CliRunner.Result r = cli.run("patch", doc, empty);
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("{\"headline\":\"Run \u2713 \ud83c\udfc3\"}\n");
  }

  /**
   * Rewriting a pretty file turns every {@code []} into {@code [ ]} and {@code {}} into {@code { }}
   * (Jackson's default pretty printer), so a one-field patch applied in place shows up in version
   * control as changes on unrelated lines.
   */
  @Test
  void inPlaceKeepsEmptyArraysAndObjectsAsTheyWere() {
    String doc = cli.write("doc.json", "{\n  \"tags\": [],\n  \"extra\": {},\n  \"a\": 1\n}\n");
    String p = cli.write("p.json", "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]");
    assertThat(cli.run("patch", "--in-place", doc, p).exit()).isZero();
    assertThat(cli.read("doc.json"))
        .isEqualTo("{\n  \"tags\": [],\n  \"extra\": {},\n  \"a\": 2\n}\n");
  }

  @Test
  void missingPatchOperandIsAUsageError() {
    Golden.check("patch-missing-operand", cli.fails(2, "patch", landing), 2);
  }

  @Test
  void missingPatchFileIsNotFound() {
    Golden.check(
        "patch-missing-patch-file", cli.fails(6, "patch", landing, cli.path("nope.json")), 6);
  }

  private static void assertSameJson(String actual, String expected) {
    assertThat(Json.compact(Json.parse(actual))).isEqualTo(Json.compact(Json.parse(expected)));
  }

  private static void assertNoTemporaryFilesIn(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names)
          .as("files in %s", dir)
          .noneMatch(n -> n.endsWith(".tmp") || n.startsWith("."));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
