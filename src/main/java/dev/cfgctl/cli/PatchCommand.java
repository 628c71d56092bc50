package dev.cfgctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.InvalidPatchException;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonPatch;
import dev.cfgctl.patch.MergePatch;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.patch.PatchFailedException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class PatchCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<PatchCommand> m =
        CommandModel.command("patch", PatchCommand.class, () -> new PatchCommand(io))
            .header("Apply a JSON Patch or merge patch to a document.")
            .description("Apply a JSON Patch (RFC 6902) or merge patch (RFC 7396) to a document, all or"
                + " nothing. The result goes to stdout, to a file (-o FILE) or back into DOC (--in-place); files are"
                + " replaced atomically, never left half-written. Exits 1 when the patch does not apply.")
            .examples(
                "Apply a patch and print the result",
                "cfgctl patch landing.json change.json",
                "Apply it to the file itself, checking the result against a schema first",
                "cfgctl patch --in-place --schema landing.schema.json landing.json change.json",
                "In CI: does the patch still apply? (exit 0 yes, 1 no; nothing written)",
                "cfgctl patch --dry-run landing.json change.json",
                "A merge patch from stdin",
                "echo '{\"theme\":{\"radius\":4}}' | cfgctl patch --format merge-patch site.json -");
    CommonOptions.addTo(m.mixin(c -> c.common));
    InputOptions.addTo(m.mixin(c -> c.input));
    m.operand("DOC", "The document to patch (- for stdin).", (c, v) -> c.doc = v);
    m.operand("PATCH", "The patch (- for stdin).", (c, v) -> c.patchFile = v);
    m.option("-o, --output", "FORMAT|FILE", "text or json: how to report (json matters with --dry-run); or a"
        + " file to write the result to: a name with a . or / in it (./out for a file called out).",
        (c, v) -> c.output = v);
    m.flag("-i, --in-place", "Write the result back into DOC.", (c, v) -> c.inPlace = v);
    m.flag("--dry-run", "Check that the patch applies (and validates); write nothing.",
        (c, v) -> c.dryRun = v);
    m.option("--format", PatchFormat.class, "FORMAT", "Format of PATCH: json-patch (default) or merge-patch.",
        (c, v) -> c.format = v).converters(new PatchFormat.Converter());
    m.option("--schema", "SCHEMA", "Refuse a result that does not match this JSON Schema.",
        (c, v) -> c.schema = v);
    return m.spec();
  }

  final CommonOptions common = new CommonOptions();
  final InputOptions input = new InputOptions();
  String doc;
  String patchFile;
  String output;
  boolean inPlace;
  boolean dryRun;
  PatchFormat format = PatchFormat.JSON_PATCH;
  String schema;

  private final Io io;

  public PatchCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    // -o names a file when it looks like one, so a mistyped format never becomes a file
    boolean toFile = output != null && (output.contains(".") || output.contains("/"));
    Path outFile = toFile ? Path.of(output) : null;
    boolean json = !toFile && FormatOption.isJson(output == null ? "text" : output);
    common.check();
    if (inPlace && outFile != null) throw CliException.usage("--in-place and -o FILE exclude each other", null);
    if (inPlace && doc.equals("-")) throw CliException.usage("--in-place needs a file, not stdin", null);

    Inputs inputs = new Inputs(io);
    Inputs.Document original = inputs.read(doc, input.limits());
    Inputs.Document patchDoc = inputs.read(patchFile, input.limits());
    Validate.Check validator = schema == null ? null : Validate.load(inputs, schema, input.limits());

    try {
      return apply(original, patchDoc, validator, json, outFile);
    } catch (CliException e) {
      if (dryRun && json && e.exitCode() == ExitCode.NEGATIVE) {
        ObjectNode report = Json.NODES.objectNode();
        report.put("applies", false).put("document", original.name()).put("error", e.getMessage());
        Outputs.print(io, report, common.pretty(io.stdoutTerminal()));
      }
      throw e;
    }
  }

  private int apply(Inputs.Document original, Inputs.Document patchDoc, Validate.Check validator,
      boolean json, Path outFile) {
    JsonNode patchJson = patchDoc.json();
    JsonNode result;
    int operations;
    if (format == PatchFormat.MERGE_PATCH) {
      if (!patchJson.isObject()) {
        io.err().println("cfgctl: warning: " + patchDoc.name() + " is not an object: as a merge patch it"
            + " replaces the whole document");
      }
      result = MergePatch.apply(original.json(), patchJson);
      operations = 1;
    } else {
      Patch patch = parsePatch(patchDoc);
      try {
        result = JsonPatch.applyInPlace(original.json(), patch).document();
      } catch (PatchFailedException e) {
        throw new CliException(ExitCode.NEGATIVE, "patch does not apply to " + original.name() + ": "
            + e.getMessage(), e.isTestFailure()
                ? "the document is not what the patch expects: it changed since the patch was made"
                : null);
      }
      operations = patch.size();
    }
    if (validator != null) {
      validator.require(result, "the patched " + original.name(),
          "see every error with: cfgctl patch " + doc + " " + patchFile
              + (format == PatchFormat.MERGE_PATCH ? " --format merge-patch" : "")
              + " | cfgctl validate --schema " + schema + " -");
    }

    if (dryRun) {
      if (json) {
        ObjectNode report = Json.NODES.objectNode();
        report.put("applies", true).put("operations", operations).put("document", original.name());
        if (validator != null) report.put("valid", true);
        Outputs.print(io, report, common.pretty(io.stdoutTerminal()));
      } else {
        io.err().println("dry run: the patch applies to " + original.name() + " ("
            + (format == PatchFormat.MERGE_PATCH ? "merge patch"
                : operations + (operations == 1 ? " operation" : " operations"))
            + (validator != null ? ", result matches the schema" : "") + "); nothing written");
      }
      return ExitCode.OK;
    }
    boolean pretty = common.pretty || (!common.compact && original.looksPretty());
    if (inPlace) {
      Outputs.writeAtomically(Outputs.followLinks(Path.of(doc)), result, pretty);
    } else if (outFile != null) {
      Outputs.writeAtomically(outFile, result, pretty);
    } else {
      Outputs.print(io, result, common.pretty(io.stdoutTerminal()));
    }
    return ExitCode.OK;
  }

  private Patch parsePatch(Inputs.Document patch) {
    try {
      return Patch.fromJson(patch.json());
    } catch (InvalidPatchException e) {
      throw CliException.usage(patch.name() + ": " + e.getMessage(),
          patch.json().isObject() ? "is it a merge patch? then add --format merge-patch" : null);
    }
  }
}
