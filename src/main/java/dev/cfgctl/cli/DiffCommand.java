package dev.cfgctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.output.ChangeView;
import dev.cfgctl.patch.DiffOptions;
import dev.cfgctl.patch.JsonDiff;
import dev.cfgctl.patch.JsonPointer;
import dev.cfgctl.patch.MergePatch;
import dev.cfgctl.patch.Patch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "diff",
    header = "Show the changes between two JSON documents as a patch.",
    description = "Compute the changes that turn document A into document B, as an RFC 6902 JSON Patch"
        + " (or an RFC 7396 merge patch). Exits 0 when the documents are equal, 1 when they differ.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  # Save the patch between two versions of a config",
      "  cfgctl diff landing.json landing.new.json > change.json",
      "",
      "  # See what changed, for people",
      "  cfgctl diff -o text landing.json landing.new.json",
      "",
      "  # A patch that refuses to apply if the target drifted (for migrations)",
      "  cfgctl diff --with-tests old.json new.json",
      "",
      "  # Match array elements by their \"slug\" member, ignore a server-managed field",
      "  cfgctl diff --array-key slug --ignore /meta/updatedAt a.json b.json"
    })
public final class DiffCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin FormatOption output;
  @Mixin InputOptions input;

  @Parameters(index = "0", paramLabel = "A", description = "The original document (- for stdin).")
  String a;

  @Parameters(index = "1", paramLabel = "B", description = "The changed document (- for stdin).")
  String b;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      converter = PatchFormat.Converter.class,
      description = "Patch format of the json output: json-patch (default) or merge-patch.")
  PatchFormat format = PatchFormat.JSON_PATCH;

  @Option(
      names = "--array-key",
      paramLabel = "KEY",
      description = "Also match objects in arrays by this member (repeatable; id is always tried last).")
  List<String> arrayKeys = new ArrayList<>();

  @Option(
      names = "--ignore",
      paramLabel = "POINTER",
      description = "Leave this JSON pointer out of the diff (repeatable; * matches any member or index).")
  List<String> ignore = new ArrayList<>();

  @Option(names = "--with-tests", description = "Put a test op before each replace, remove and move.")
  boolean withTests;

  @Option(names = "--no-moves", description = "Emit only add, remove and replace operations.")
  boolean noMoves;

  private final Io io;

  public DiffCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    common.check();
    boolean json = output.json("json");
    DiffOptions options = options();
    if (format == PatchFormat.MERGE_PATCH
        && (withTests || noMoves || !ignore.isEmpty() || !arrayKeys.isEmpty())) {
      throw CliException.usage(
          "--with-tests, --no-moves, --ignore and --array-key work with --format json-patch only", null);
    }
    Inputs inputs = new Inputs(io);
    JsonNode docA = inputs.read(a, input.limits()).json();
    JsonNode docB = inputs.read(b, input.limits()).json();
    if (!json) {
      Patch patch = JsonDiff.diff(docA, docB, options.withTests(true));
      new ChangeView(io.out(), io.colorOut()).print(patch);
      return patch.isEmpty() ? ExitCode.OK : ExitCode.NEGATIVE;
    }
    if (format == PatchFormat.MERGE_PATCH) {
      JsonNode merge;
      try {
        merge = MergePatch.diff(docA, docB);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.USAGE, e.getMessage(), "use --format json-patch");
      }
      Outputs.print(io, merge, common.pretty(io.stdoutTerminal()));
      return docA.equals(docB) ? ExitCode.OK : ExitCode.NEGATIVE;
    }
    Patch patch = JsonDiff.diff(docA, docB, options);
    Outputs.print(io, patch.toJson(), common.pretty(io.stdoutTerminal()));
    return patch.isEmpty() ? ExitCode.OK : ExitCode.NEGATIVE;
  }

  private DiffOptions options() {
    List<JsonPointer> pointers = new ArrayList<>();
    for (String p : ignore) {
      try {
        pointers.add(JsonPointer.parse(p));
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--ignore: " + e.getMessage(), null);
      }
    }
    DiffOptions o = DiffOptions.DEFAULT.withIgnore(pointers).withTests(withTests).withMoves(!noMoves);
    if (arrayKeys.isEmpty()) return o;
    List<String> keys = new ArrayList<>(arrayKeys);
    keys.removeAll(DiffOptions.DEFAULT.arrayKeys());
    keys.addAll(DiffOptions.DEFAULT.arrayKeys());
    return o.withArrayKeys(keys);
  }
}
