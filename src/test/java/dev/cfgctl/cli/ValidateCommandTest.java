package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code cfgctl validate}: reports per document, json output, and what a bad schema gets. */
class ValidateCommandTest {
  @TempDir Path tmp;
  CliRunner cli;
  String landing;
  String schema;
  String invalid;

  @BeforeEach
  void files() {
    cli = new CliRunner(tmp);
    landing = cli.copy("/examples/landing.json");
    schema = cli.copy("/examples/landing.schema.json");
    invalid =
        cli.write(
            "invalid.json",
            cli.read("landing.json")
                .replace("\"site\": \"acme-shoes\"", "\"site\": \"Acme Shoes\"")
                .replace("\"slug\": \"/shop\",", "")
                .replace("\"id\": \"reviews\"", "\"id\": 3"));
  }

  @Test
  void validDocumentExitsZero() {
    Golden.check("validate-valid", cli.run("validate", landing, "--schema", schema), 0);
  }

  @Test
  void invalidDocumentPrintsOneLinePerViolationAndASummaryOnStderr() {
    Golden.check("validate-invalid", cli.run("validate", "--schema", schema, invalid), 1);
  }

  @Test
  void severalDocumentsAreEachReported() {
    String spring = cli.copy("/cli/landing.spring.json");
    Golden.check(
        "validate-several", cli.run("validate", "--schema", schema, landing, invalid, spring), 1);
  }

  @Test
  void severalValidDocumentsExitZero() {
    String spring = cli.copy("/cli/landing.spring.json");
    CliRunner.Result r = cli.run("validate", "--schema", schema, landing, spring);
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("$TMP/landing.json: valid\n$TMP/landing.spring.json: valid\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void jsonOutputOfOneDocumentIsStillAnArray() {
    Golden.check(
        "validate-json-one", cli.run("validate", "-o", "json", "--schema", schema, invalid), 1);
  }

  @Test
  void jsonOutputOfSeveralDocumentsIsAnArrayInOrder() {
    Golden.check(
        "validate-json-several",
        cli.run("validate", "-o", "json", "--schema", schema, landing, invalid),
        1);
  }

  @Test
  void documentFromStdin() {
    Golden.check(
        "validate-stdin",
        cli.stdin(cli.read("invalid.json")).run("validate", "--schema", schema, "-"),
        1);
  }

  @Test
  void draft07SchemaIsUnderstood() {
    String draft7 =
        cli.write(
            "draft7.json",
            "{\"$schema\": \"http://json-schema.org/draft-07/schema#\","
                + " \"type\": \"object\", \"required\": [\"site\", \"owner\"],"
                + " \"properties\": {\"site\": {\"type\": \"string\", \"maxLength\": 5}}}");
    Golden.check("validate-draft-07", cli.run("validate", "--schema", draft7, landing), 1);
  }

  @Test
  void schemaWithAnUnresolvableReferenceIsAUsageError() {
    String bad =
        cli.write(
            "bad.schema.json", "{\"properties\": {\"site\": {\"$ref\": \"#/$defs/missing\"}}}");
    Golden.check("validate-schema-bad-ref", cli.fails(2, "validate", "--schema", bad, landing), 2);
  }

  @Test
  void schemaThatIsNotJsonIsAUsageError() {
    String bad = cli.write("bad.schema.json", "{\"type\": \"object\",}");
    Golden.check("validate-schema-not-json", cli.fails(2, "validate", "--schema", bad, landing), 2);
  }

  /**
   * A schema that is not a valid JSON Schema is malformed input (exit 2). Today some are reported
   * with a Java exception class in the message ({@code items} given an array, an unreachable $ref),
   * and others are not noticed at all: {@code "type": "strng"} makes every document "invalid" (exit
   * 1, "object found, unknown expected"), and {@code [1]} or {@code {"required": "site"}} let every
   * document pass (exit 0).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"items\": [{\"type\": \"string\"}]}",
        "{\"$ref\": \"other.schema.json\"}",
        "{\"type\": \"strng\"}",
        "[1]",
        "{\"required\": \"site\"}",
        "{\"minLength\": -1}"
      })
  void schemaThatIsNotAValidJsonSchemaIsAUsageError(String schemaText) {
    String bad = cli.write("bad.schema.json", schemaText);
    CliRunner.Result r = cli.fails(2, "validate", "--schema", bad, landing);
    assertThat(r.err()).startsWith("cfgctl: $TMP/bad.schema.json: invalid JSON Schema: ");
  }

  @Test
  void missingSchemaOptionIsAUsageError() {
    Golden.check("validate-no-schema", cli.fails(2, "validate", landing), 2);
  }

  @Test
  void missingDocumentIsAUsageError() {
    Golden.check("validate-no-document", cli.fails(2, "validate", "--schema", schema), 2);
  }

  @Test
  void missingSchemaFileIsNotFound() {
    Golden.check(
        "validate-schema-missing",
        cli.fails(6, "validate", "--schema", cli.path("nope.json"), landing),
        6);
  }

  @Test
  void missingDocumentFileIsNotFound() {
    Golden.check(
        "validate-document-missing",
        cli.fails(6, "validate", "--schema", schema, cli.path("nope.json")),
        6);
  }

  @Test
  void yamlOutputIsAUsageError() {
    Golden.check(
        "validate-output-yaml",
        cli.fails(2, "validate", "-o", "yaml", "--schema", schema, landing),
        2);
  }
}
