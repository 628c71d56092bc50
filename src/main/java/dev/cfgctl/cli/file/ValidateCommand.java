package dev.cfgctl.cli.file;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.FormatOption;
import dev.cfgctl.cli.options.InputOptions;
import dev.cfgctl.output.Format;
import dev.cfgctl.output.Result;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.SchemaValidator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class ValidateCommand implements Callable<Integer> {
  public static CommandSpec model(Io io) {
    CommandModel<ValidateCommand> m =
        CommandModel.command("validate", ValidateCommand.class, () -> new ValidateCommand(io))
            .header("Check documents against a JSON Schema.")
            .description(
                "Check documents against a JSON Schema (draft 2020-12, 2019-09, 07, 06 or 04, from"
                    + " the schema's $schema; 2020-12 when it has none). Exits 1 when a document does not match.")
            .examples(
                "Check one config",
                "cfgctl validate landing.json --schema landing.schema.json",
                "Check many in CI, with a machine-readable report",
                "cfgctl validate -o json configs/*.json --schema landing.schema.json");
    CommonOptions.addTo(m.mixin(c -> c.common));
    FormatOption.addTo(m.mixin(c -> c.format));
    InputOptions.addTo(m.mixin(c -> c.input));
    m.operands("DOC", "Documents to check (- for stdin).", (c, v) -> c.docs = v).arity("1..*");
    m.option("--schema", "SCHEMA", "The JSON Schema.", (c, v) -> c.schema = v).required(true);
    return m.spec();
  }

  final CommonOptions common = new CommonOptions();
  final FormatOption format = new FormatOption();
  final InputOptions input = new InputOptions();
  List<String> docs;
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
        report
            .addObject()
            .put("document", d.name())
            .put("valid", violations.isEmpty())
            .set("errors", Validate.json(violations));
      } else if (violations.isEmpty()) {
        io.out().println(d.name() + ": valid");
      } else {
        for (SchemaValidator.Violation v : violations) {
          io.out().println(d.name() + ": " + Validate.describe(v));
        }
      }
    }
    // an array, however many
    if (json) format.printer(io, common, Format.TEXT).print(Result.json(report));
    if (invalid > 0) {
      // -o json: the report says it all, and stderr is for failures (a problem object)
      if (!json)
        io.err()
            .println(
                "cfgctl: "
                    + invalid
                    + " of "
                    + docs.size()
                    + (docs.size() == 1 ? " document does" : " documents do")
                    + " not match "
                    + schema);
      return ExitCode.NEGATIVE;
    }
    return ExitCode.OK;
  }
}
