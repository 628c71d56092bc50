package dev.cfgctl.cli.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.config.Written;
import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.FormatOption;
import dev.cfgctl.cli.options.InputOptions;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoreOptions;
import dev.cfgctl.cli.options.WriteOptions;
import dev.cfgctl.output.Format;
import dev.cfgctl.output.Printer;
import dev.cfgctl.output.Result;
import dev.cfgctl.patch.InvalidPatchException;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonPatch;
import dev.cfgctl.patch.MergePatch;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.patch.PatchFailedException;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Document;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class PatchCommand implements Callable<Integer> {
  public static CommandSpec model(Io io) {
    CommandModel<PatchCommand> m =
        CommandModel.command("patch", PatchCommand.class, () -> new PatchCommand(io))
            .header("Apply a JSON Patch or merge patch to a document.")
            .description(
                "Apply a JSON Patch (RFC 6902) or merge patch (RFC 7396) to a document, all or"
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
                "echo '{\"theme\":{\"radius\":4}}' | cfgctl patch --format merge-patch site.json -",
                "Patch a stored config, only if nobody changed it since version 7",
                "cfgctl patch -c acme/landing change.json --expect-version 7 -m \"spring sale\"");
    CommonOptions.addTo(m.mixin(c -> c.common));
    InputOptions.addTo(m.mixin(c -> c.input));
    m.operands(
            "[DOC] PATCH",
            "The document to patch and the patch (- for stdin); with -c only the" + " patch.",
            (c, v) -> c.files = v)
        .arity("1..2");
    m.option(
            "-c, --config",
            "REF",
            "Patch this stored config ([TENANT/]NAME) instead of a file: one"
                + " atomic write, checked against --expect-version when given.",
            (c, v) -> c.config = v)
        .completionCandidates(Candidates.REFS);
    m.option(
        "--expect-version",
        Long.class,
        "N",
        "With -c: refuse (exit 3) unless the config is at"
            + " version N (or rebase onto the changes since, with --rebase).",
        (c, v) -> c.expect = v);
    StoreOptions.addTo(m.mixin(c -> c.store));
    WriteOptions.addTo(m.mixin(c -> c.write), true);
    m.option(
            "-o, --output",
            "FORMAT",
            "text, json or jsonl: how to report (json matters with"
                + " --dry-run). Deprecated: a file name (with a . or / in it) as for --output-file.",
            (c, v) -> c.output = v)
        .completionCandidates(Candidates.of(FormatOption.VALUES));
    m.option(
            "--output-file",
            "FILE",
            "Write the result to FILE (replaced atomically) instead of stdout.",
            (c, v) -> c.outputFile = v)
        .completionCandidates(Candidates.FILES);
    m.flag("-i, --in-place", "Write the result back into DOC.", (c, v) -> c.inPlace = v);
    m.flag(
        "--dry-run",
        "Check that the patch applies (and validates); write nothing.",
        (c, v) -> c.dryRun = v);
    m.option(
            "--format",
            PatchFormat.class,
            "FORMAT",
            "Format of PATCH: json-patch (default) or merge-patch.",
            (c, v) -> c.format = v)
        .converters(new PatchFormat.Converter())
        .completionCandidates(PatchFormat.candidates());
    m.option(
        "--schema",
        "SCHEMA",
        "Refuse a result that does not match this JSON Schema.",
        (c, v) -> c.schema = v);
    return m.spec();
  }

  final CommonOptions common = new CommonOptions();
  final InputOptions input = new InputOptions();
  final StoreOptions store = new StoreOptions();
  final WriteOptions write = new WriteOptions();
  List<String> files;
  String doc;
  String patchFile;
  String config;
  Long expect;
  String output;
  String outputFile;

  /** How the command line named the output file, for messages. */
  String fileOption;

  Printer printer;
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
    boolean oldFile = output != null && (output.contains(".") || output.contains("/"));
    if (oldFile && outputFile != null) {
      throw CliException.usage("-o FILE and --output-file exclude each other", null);
    }
    String fileName = oldFile ? output : outputFile;
    fileOption = outputFile != null ? "--output-file" : "-o FILE";
    Path outFile = fileName == null ? null : Path.of(fileName);
    Format reportFormat = oldFile ? Format.TEXT : reportFormat(output);
    boolean json = reportFormat != Format.TEXT;
    printer = io.printer(reportFormat, common.pretty(io.stdoutTerminal()));
    common.check();
    if (config != null) return patchStored(json, outFile);
    if (files.size() != 2) {
      throw CliException.usage(
          "patch needs DOC and PATCH (or -c REF and PATCH)", "run 'cfgctl patch --help' for usage");
    }
    if (expect != null || write.rebase || write.message != null || write.lockId != null) {
      throw CliException.usage(
          "--expect-version, --rebase, -m and --lock-id work on stored configs (-c REF)", null);
    }
    doc = files.get(0);
    patchFile = files.get(1);
    if (inPlace && outFile != null) {
      throw CliException.usage("--in-place and " + fileOption + " exclude each other", null);
    }
    if (inPlace && doc.equals("-"))
      throw CliException.usage("--in-place needs a file, not stdin", null);

    Inputs inputs = new Inputs(io);
    Inputs.Document original = inputs.read(doc, input.limits());
    Inputs.Document patchDoc = inputs.read(patchFile, input.limits());
    Validate.Check validator =
        schema == null ? null : Validate.load(inputs, schema, input.limits());

    ObjectNode report = Json.NODES.objectNode();
    try {
      return apply(original, patchDoc, validator, json, outFile, report);
    } catch (CliException e) {
      ObjectNode where = Json.NODES.objectNode().put("document", original.name());
      if (dryRun && json && e.exitCode() == ExitCode.NEGATIVE) return verdict(report, where, e);
      throw e;
    }
  }

  /** -o: text, json or jsonl, or else (no . or / in it, so not a file either) a usage error. */
  private static Format reportFormat(String output) {
    if (output == null) return Format.TEXT;
    if (FormatOption.VALUES.contains(output)) return FormatOption.parse(output);
    throw CliException.usage(
        "-o takes text, json or a file name with a . or / in it, not \"" + output + "\"",
        "to write the result to a file called " + output + ": -o ./" + output);
  }

  /**
   * -o json with --dry-run: "no" is the answer asked for, so it goes to stdout as the report, with
   * exit 1 and nothing on stderr: {"applies": false, "error": ...}, or for a result the schema
   * refuses {"applies": true, "valid": false, "errors": [...]}.
   */
  /** Ends a dry run that passed: its report with -o json, else a line on stderr. */
  private int dryRunDone(boolean json, ObjectNode report, String appliesTo) {
    if (json) {
      printer.print(Result.json(report));
    } else {
      io.err().println("dry run: the patch applies to " + appliesTo + "; nothing written");
    }
    return ExitCode.OK;
  }

  private int verdict(ObjectNode report, ObjectNode where, CliException e) {
    if (!report.has("applies")) {
      report.put("applies", false).setAll(where);
      report.put("error", e.getMessage());
    }
    printer.print(Result.json(report));
    return ExitCode.NEGATIVE;
  }

  /** Checks the result against the schema; with -o json --dry-run the report gets the verdict. */
  private void validate(
      Validate.Check validator,
      JsonNode result,
      String what,
      String hint,
      ObjectNode report,
      boolean json) {
    if (dryRun && json) {
      var violations = validator.violations(result);
      report.put("valid", violations.isEmpty());
      if (!violations.isEmpty()) report.set("errors", Validate.json(violations));
    }
    validator.require(result, what, hint);
  }

  private int apply(
      Inputs.Document original,
      Inputs.Document patchDoc,
      Validate.Check validator,
      boolean json,
      Path outFile,
      ObjectNode report) {
    JsonNode patchJson = patchDoc.json();
    JsonNode result;
    int operations;
    if (format == PatchFormat.MERGE_PATCH) {
      if (!patchJson.isObject()) {
        io.err()
            .println(
                "cfgctl: warning: "
                    + patchDoc.name()
                    + " is not an object: as a merge patch it"
                    + " replaces the whole document");
      }
      result = MergePatch.apply(original.json(), patchJson);
      operations = 1;
    } else {
      Patch patch = parsePatch(patchDoc);
      try {
        result = JsonPatch.applyInPlace(original.json(), patch).document();
      } catch (PatchFailedException e) {
        throw new CliException(
                ExitCode.NEGATIVE,
                "patch does not apply to " + original.name() + ": " + e.getMessage(),
                e.isTestFailure()
                    ? "the document is not what the patch expects: it changed since the patch was made"
                    : null)
            .problem("patch-failed");
      }
      operations = patch.size();
    }
    report.put("applies", true).put("operations", operations).put("document", original.name());
    if (validator != null) {
      validate(
          validator,
          result,
          "the patched " + original.name(),
          "see every error with: cfgctl patch "
              + doc
              + " "
              + patchFile
              + (format == PatchFormat.MERGE_PATCH ? " --format merge-patch" : "")
              + " | cfgctl validate --schema "
              + schema
              + " -",
          report,
          json);
    }

    if (dryRun) {
      return dryRunDone(
          json,
          report,
          original.name()
              + " ("
              + (format == PatchFormat.MERGE_PATCH
                  ? "merge patch"
                  : operations + (operations == 1 ? " operation" : " operations"))
              + (validator != null ? ", result matches the schema" : "")
              + ")");
    }
    boolean pretty = common.pretty || (!common.compact && original.looksPretty());
    if (inPlace) {
      Outputs.writeAtomically(Outputs.followLinks(Path.of(doc)), result, pretty);
    } else if (outFile != null) {
      Outputs.writeAtomically(outFile, result, pretty);
      // after the write, so that a run that fails still says one thing: what went wrong
      if (outputFile == null) {
        io.err().println("cfgctl: note: -o FILE is deprecated; write --output-file " + outFile);
      }
    } else {
      printer.print(Result.json(result));
    }
    return ExitCode.OK;
  }

  /**
   * {@code patch -c REF PATCH}: one write to the store, or with --dry-run a local trial on its
   * content.
   */
  private int patchStored(boolean json, Path outFile) {
    if (files.size() != 1) throw CliException.usage("with -c REF, give only the PATCH", null);
    if (inPlace || outFile != null) {
      throw CliException.usage("--in-place and " + fileOption + " work on files, not -c", null);
    }
    if (write.rebase && expect == null)
      throw CliException.usage("--rebase needs --expect-version", null);
    patchFile = files.get(0);
    Inputs inputs = new Inputs(io);
    Inputs.Document patchDoc = inputs.read(patchFile, input.limits());
    Validate.Check validator =
        schema == null ? null : Validate.load(inputs, schema, input.limits());
    boolean merge = format == PatchFormat.MERGE_PATCH;
    Patch patch = merge ? null : parsePatch(patchDoc);
    try (Session s = store.open(io)) {
      Ref r = s.ref(config).current("patch -c");
      if (dryRun || validator != null) {
        Document current =
            expect == null || write.rebase
                ? s.store().get(s.who(), r.config())
                : s.store().get(s.who(), r.config(), expect);
        ObjectNode where =
            Json.NODES
                .objectNode()
                .put("config", r.config().toString())
                .put("version", current.version());
        ObjectNode report = Json.NODES.objectNode();
        try {
          dryRun(current, merge, patchDoc, patch, validator, r, json, report, where);
        } catch (CliException e) {
          if (dryRun && json && e.exitCode() == ExitCode.NEGATIVE) return verdict(report, where, e);
          throw e;
        }
        if (dryRun) return dryRunDone(json, report, r.config() + "@" + current.version());
      }
      ConfigStore.Write w = write.write(io);
      Document d =
          merge
              ? s.store().mergePatch(s.who(), r.config(), patchDoc.json(), expect, w)
              : s.store().patch(s.who(), r.config(), patch, expect, w);
      printer.print(new Written("patched", d));
      return ExitCode.OK;
    }
  }

  /** The patch tried on the stored content here, and the result checked against the schema. */
  private void dryRun(
      Document current,
      boolean merge,
      Inputs.Document patchDoc,
      Patch patch,
      Validate.Check validator,
      Ref r,
      boolean json,
      ObjectNode report,
      ObjectNode where) {
    JsonNode result;
    try {
      result =
          merge
              ? MergePatch.apply(current.content(), patchDoc.json())
              : JsonPatch.apply(current.content(), patch).document();
    } catch (PatchFailedException e) {
      throw new CliException(
              ExitCode.NEGATIVE,
              "patch does not apply to "
                  + r.config()
                  + "@"
                  + current.version()
                  + ": "
                  + e.getMessage(),
              null)
          .problem("patch-failed");
    }
    report.put("applies", true).setAll(where);
    if (validator != null)
      validate(validator, result, "the patched " + r.config(), null, report, json);
  }

  private Patch parsePatch(Inputs.Document patch) {
    try {
      return Patch.fromJson(patch.json());
    } catch (InvalidPatchException e) {
      throw CliException.usage(
          patch.name() + ": " + e.getMessage(),
          patch.json().isObject() ? "is it a merge patch? then add --format merge-patch" : null);
    }
  }
}
