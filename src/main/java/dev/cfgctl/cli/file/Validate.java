package dev.cfgctl.cli.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.SchemaValidator;
import java.util.List;

/** Loading a schema named on the command line and checking documents against it. */
public final class Validate {
  private Validate() {}

  /** A compiled schema and its file name, for messages. */
  record Check(String schemaName, SchemaValidator validator) {
    List<SchemaValidator.Violation> violations(JsonNode doc) {
      try {
        return validator.validate(doc);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(schemaName + ": " + e.getMessage(), null);
      }
    }

    /**
     * Throws a negative answer (exit 1) listing the first violations when {@code doc} is invalid.
     */
    void require(JsonNode doc, String what, String hint) {
      List<SchemaValidator.Violation> v = violations(doc);
      if (v.isEmpty()) return;
      SchemaValidator.Violation first = v.get(0);
      throw new CliException(
              ExitCode.NEGATIVE,
              what
                  + " does not match "
                  + schemaName
                  + ": "
                  + describe(first)
                  + (v.size() > 1 ? " (and " + (v.size() - 1) + " more)" : ""),
              v.size() > 1 ? hint : null)
          .problem("schema-mismatch");
    }
  }

  static Check load(Inputs inputs, String schemaFile, Json.Limits limits) {
    JsonNode json = inputs.read(schemaFile, limits).json();
    try {
      return new Check(schemaFile, new SchemaValidator(json));
    } catch (IllegalArgumentException e) {
      throw CliException.usage(schemaFile + ": " + e.getMessage(), null);
    }
  }

  /** Violations as validate -o json reports them: [{"pointer": ..., "message": ...}]. */
  static ArrayNode json(List<SchemaValidator.Violation> violations) {
    ArrayNode errors = Json.NODES.arrayNode();
    for (SchemaValidator.Violation v : violations) {
      errors.addObject().put("pointer", v.pointer()).put("message", v.message());
    }
    return errors;
  }

  static String describe(SchemaValidator.Violation v) {
    return (v.pointer().isEmpty() ? "(document)" : v.pointer()) + ": " + v.message();
  }
}
