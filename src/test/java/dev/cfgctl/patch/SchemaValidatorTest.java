package dev.cfgctl.patch;

import static dev.cfgctl.patch.PatchTestSupport.sqJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.SchemaValidator.Violation;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JSON Schema validation, draft 2020-12 (the default) and draft-07. */
class SchemaValidatorTest {
  private static final String DRAFT_07 = "'$schema':'http://json-schema.org/draft-07/schema#'";
  private static final String DRAFT_2020 =
      "'$schema':'https://json-schema.org/draft/2020-12/schema'";
  private static final String PAGE =
      "{'type':'object','required':['title'],"
          + "'properties':{'title':{'type':'string'},'n':{'type':'integer','minimum':0}}}";

  @Test
  void validDocumentHasNoViolations() {
    assertThat(validator(PAGE).validate(sqJson("{'title':'Home','n':3}"))).isEmpty();
  }

  @Test
  void violationsNameTheirPointerAndProblem() {
    assertThat(validator(PAGE).validate(sqJson("{'n':-1}")))
        .containsExactlyInAnyOrder(
            new Violation("/n", "must have a minimum value of 0"),
            new Violation("", "required property 'title' not found"));
  }

  @Test
  void violationPointersAreEscaped() {
    SchemaValidator v = validator("{'properties':{'a/b':{'properties':{'~':{'type':'string'}}}}}");

    assertThat(v.validate(sqJson("{'a/b':{'~':1}}")))
        .extracting(Violation::pointer)
        .containsExactly("/a~1b/~0");
  }

  @Test
  void draft07TupleItemsAreHonoured() {
    SchemaValidator v = validator("{" + DRAFT_07 + ",'items':[{'type':'string'}]}");

    assertThat(v.validate(sqJson("['ok',1]"))).isEmpty();
    assertThat(v.validate(sqJson("[1]"))).extracting(Violation::pointer).containsExactly("/0");
  }

  @Test
  void draft202012IsTheDefaultAndUsesPrefixItems() {
    String prefixItems = "'prefixItems':[{'type':'string'}]";

    assertThat(validator("{" + prefixItems + "}").validate(sqJson("[1]"))).hasSize(1);
    assertThat(validator("{" + DRAFT_2020 + "," + prefixItems + "}").validate(sqJson("[1]")))
        .hasSize(1);
    assertThat(validator("{" + DRAFT_07 + "," + prefixItems + "}").validate(sqJson("[1]")))
        .as("draft-07 has no prefixItems")
        .isEmpty();
    assertThatThrownBy(() -> validator("{'items':[{'type':'string'}]}"))
        .as("2020-12 items must be a schema")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid JSON Schema: ");
  }

  @Test
  void numbersAreComparedAtFullPrecision() {
    SchemaValidator v = validator("{'maximum':18446744073709551615}");

    assertThat(v.validate(sqJson("18446744073709551615"))).isEmpty();
    assertThat(v.validate(sqJson("18446744073709551616"))).hasSize(1);
    assertThat(validator("{'type':'integer'}").validate(sqJson("1.0")))
        .as("1.0 is an integer")
        .isEmpty();
    assertThat(validator("{'multipleOf':0.01}").validate(sqJson("19.99"))).isEmpty();
  }

  @Test
  void unresolvableReferenceIsAnInvalidSchema() {
    assertThatThrownBy(() -> validator("{'$ref':'#/$defs/missing'}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid JSON Schema: ");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"{'type':12}", "[1]", "{'required':'title'}", "{'minimum':'zero'}"})
  void malformedSchemaIsRejectedInsteadOfValidatingAnything(String schema) {
    assertThatThrownBy(() -> validator(schema))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid JSON Schema: ");
  }

  @Test
  void bundledLandingPageStaysValidThroughTheSpringSalePatch() throws IOException {
    SchemaValidator v = new SchemaValidator(resource("/examples/landing.schema.json"));
    JsonNode landing = resource("/examples/landing.json");
    Patch sale = Patch.fromJson(resource("/examples/spring-sale.patch.json"));

    JsonNode patched = JsonPatch.apply(landing, sale).document();

    assertThat(v.validate(landing)).isEmpty();
    assertThat(v.validate(patched)).isEmpty();
    ((ObjectNode) patched.get("seo")).put("title", "x".repeat(71));
    assertThat(v.validate(patched)).extracting(Violation::pointer).containsExactly("/seo/title");
  }

  private static SchemaValidator validator(String singleQuotedSchema) {
    return new SchemaValidator(sqJson(singleQuotedSchema));
  }

  private static JsonNode resource(String name) throws IOException {
    try (InputStream in = SchemaValidatorTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return Json.parse(in, Json.Limits.DEFAULT);
    }
  }
}
