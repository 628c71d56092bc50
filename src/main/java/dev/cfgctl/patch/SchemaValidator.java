package dev.cfgctl.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates documents against a JSON Schema. The draft comes from the schema's {@code $schema}
 * (2020-12, 2019-09, draft-07, -06, -04); without one, 2020-12. Thread-safe once built.
 */
public final class SchemaValidator {
  /** One violation: where in the document, and what is wrong. */
  public record Violation(String pointer, String message) {}

  private final Schema schema;

  /**
   * Compiles {@code schema}, or throws {@link IllegalArgumentException} when it is not a valid
   * schema.
   */
  public SchemaValidator(JsonNode schema) {
    try {
      SchemaRegistry registry =
          SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
      checkAgainstMetaSchema(registry, schema);
      this.schema = registry.getSchema(schema);
      this.schema.initializeValidators();
    } catch (RuntimeException e) {
      throw invalid(e);
    }
  }

  private static IllegalArgumentException invalid(RuntimeException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String why =
        root instanceof FileNotFoundException
            ? "cannot load the referenced schema " + root.getMessage()
            : root.getMessage();
    return new IllegalArgumentException("invalid JSON Schema: " + why, e);
  }

  /**
   * The validator accepts nonsense like {@code {"type": 12}} and then validates nothing, so a
   * schema of a known draft is first checked against that draft's meta-schema (bundled, no
   * network).
   */
  private static void checkAgainstMetaSchema(SchemaRegistry registry, JsonNode schema) {
    if (schema.isBoolean()) return;
    if (!schema.isObject()) {
      throw new IllegalArgumentException(
          "a schema must be an object or a boolean, not " + Patch.kind(schema));
    }
    JsonNode declared = schema.get("$schema");
    String dialect =
        declared != null && declared.isTextual()
            ? declared.textValue()
            : SpecificationVersion.DRAFT_2020_12.getDialectId();
    if (SpecificationVersion.fromDialectId(dialect).isEmpty()) return;
    List<Error> errors = registry.getSchema(SchemaLocation.of(dialect)).validate(schema);
    if (!errors.isEmpty()) {
      Error first = errors.get(0);
      String at = first.getInstanceLocation().toString();
      throw new IllegalArgumentException((at.isEmpty() ? "" : at + ": ") + first.getMessage());
    }
  }

  /**
   * The violations, or {@link IllegalArgumentException} when the schema turns out unusable ($ref).
   */
  public List<Violation> validate(JsonNode document) {
    List<Error> errors;
    try {
      errors = schema.validate(document);
    } catch (SchemaException e) {
      throw invalid(e);
    }
    List<Violation> out = new ArrayList<>();
    for (Error e : errors) {
      out.add(new Violation(e.getInstanceLocation().toString(), e.getMessage()));
    }
    return out;
  }
}
