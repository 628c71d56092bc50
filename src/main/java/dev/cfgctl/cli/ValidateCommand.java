package dev.cfgctl.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.SchemaValidator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "validate",
    header = "Check documents against a JSON Schema.",
    description = "Check documents against a JSON Schema (draft 2020-12, 2019-09, 07, 06 or 04, from the"
        + " schema's $schema; 2020-12 when it has none). Exits 1 when a document does not match.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  # Check one config",
      "  cfgctl validate landing.json --schema landing.schema.json",
      "",
      "  # Check many in CI, with a machine-readable report",
      "  cfgctl validate -o json configs/*.json --schema landing.schema.json"
    })
public final class ValidateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin FormatOption format;
  @Mixin InputOptions input;

  @Parameters(arity = "1..*", paramLabel = "DOC", description = "Documents to check (- for stdin).")
  List<String> docs;

  @Option(names = "--schema", required = true, paramLabel = "SCHEMA", description = "The JSON Schema.")
  String schema;

  private final Io io;

  public ValidateCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    common.check();
    boolean json = format.json("text");
    Inputs inputs = new Inputs(io);
    Validate.Check check = Validate.load(inputs, schema, input.limits());
    ArrayNode report = Json.NODES.arrayNode();
    int invalid = 0;
    for (String doc : docs) {
      Inputs.Document d = inputs.read(doc, input.limits());
      List<SchemaValidator.Violation> violations = check.violations(d.json());
      if (!violations.isEmpty()) invalid++;
      if (json) {
        ObjectNode entry = report.addObject().put("document", d.name()).put("valid", violations.isEmpty());
        ArrayNode errors = entry.putArray("errors");
        for (SchemaValidator.Violation v : violations) {
          errors.addObject().put("pointer", v.pointer()).put("message", v.message());
        }
      } else if (violations.isEmpty()) {
        io.out().println(d.name() + ": valid");
      } else {
        for (SchemaValidator.Violation v : violations) {
          io.out().println(d.name() + ": " + Validate.describe(v));
        }
      }
    }
    if (json) Outputs.print(io, report, common.pretty(io.stdoutTerminal())); // an array, however many
    if (invalid > 0) {
      io.err().println("cfgctl: " + invalid + " of " + docs.size()
          + (docs.size() == 1 ? " document does" : " documents do") + " not match " + schema);
      return ExitCode.NEGATIVE;
    }
    return ExitCode.OK;
  }
}
