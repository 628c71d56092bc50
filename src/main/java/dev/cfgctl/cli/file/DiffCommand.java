package dev.cfgctl.cli.file;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.FormatOption;
import dev.cfgctl.cli.options.InputOptions;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoreOptions;
import dev.cfgctl.output.ChangeView;
import dev.cfgctl.output.Format;
import dev.cfgctl.output.Result;
import dev.cfgctl.patch.DiffOptions;
import dev.cfgctl.patch.JsonDiff;
import dev.cfgctl.patch.JsonPointer;
import dev.cfgctl.patch.MergePatch;
import dev.cfgctl.patch.Patch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class DiffCommand implements Callable<Integer> {
  public static CommandSpec model(Io io) {
    CommandModel<DiffCommand> m =
        CommandModel.command("diff", DiffCommand.class, () -> new DiffCommand(io))
            .header("Show the changes between two JSON documents as a patch.")
            .description(
                "Compute the changes that turn document A into document B, as an RFC 6902 JSON Patch"
                    + " (or an RFC 7396 merge patch). Exits 0 when the documents are equal, 1 when they differ.")
            .examples(
                "Save the patch between two versions of a config",
                "cfgctl diff landing.json landing.new.json > change.json",
                "See what changed, for people",
                "cfgctl diff -o text landing.json landing.new.json",
                "A patch that refuses to apply if the target drifted (for migrations)",
                "cfgctl diff --with-tests old.json new.json",
                "Match array elements by their \"slug\" member, ignore a server-managed field",
                "cfgctl diff --array-key slug --ignore /meta/updatedAt a.json b.json",
                "What changed in a stored config between versions 3 and 5",
                "cfgctl diff -o text -c acme/landing@3 -c acme/landing@5",
                "The stored config against a local edit",
                "cfgctl diff -c acme/landing landing.json");
    CommonOptions.addTo(m.mixin(c -> c.common));
    FormatOption.addTo(m.mixin(c -> c.output));
    InputOptions.addTo(m.mixin(c -> c.input));
    m.operands(
            "FILE",
            "A and B: the original and the changed document (- for stdin); with -c, the stored"
                + " configs come first.",
            (c, v) -> c.files = v)
        .arity("0..2");
    m.repeatable(
            "-c, --config",
            "REF[@V]",
            "A stored config (at version V) instead of a file:"
                + " -c REF@3 -c REF, or -c REF FILE.",
            (c, v) -> c.configs = v)
        .completionCandidates(Candidates.REFS);
    StoreOptions.addTo(m.mixin(c -> c.store));
    m.option(
            "--format",
            PatchFormat.class,
            "FORMAT",
            "Patch format of the json output: json-patch (default) or merge-patch.",
            (c, v) -> c.format = v)
        .converters(new PatchFormat.Converter())
        .completionCandidates(PatchFormat.candidates());
    m.repeatable(
        "--array-key",
        "KEY",
        "Also match objects in arrays by this member (repeatable; id is always tried last).",
        (c, v) -> c.arrayKeys = v);
    m.repeatable(
        "--ignore",
        "POINTER",
        "Leave this JSON pointer out of the diff (repeatable; * matches any member or index).",
        (c, v) -> c.ignore = v);
    m.flag(
        "--with-tests",
        "Put a test op before each replace, remove and move.",
        (c, v) -> c.withTests = v);
    m.flag("--no-moves", "Emit only add, remove and replace operations.", (c, v) -> c.noMoves = v);
    return m.spec();
  }

  final CommonOptions common = new CommonOptions();
  final FormatOption output = new FormatOption();
  final InputOptions input = new InputOptions();
  final StoreOptions store = new StoreOptions();
  List<String> files = new ArrayList<>();
  List<String> configs = new ArrayList<>();
  PatchFormat format = PatchFormat.JSON_PATCH;
  List<String> arrayKeys = new ArrayList<>();
  List<String> ignore = new ArrayList<>();
  boolean withTests;
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
          "--with-tests, --no-moves, --ignore and --array-key work with --format json-patch only",
          null);
    }
    if (configs.size() + files.size() != 2) {
      throw CliException.usage(
          "diff compares two documents: A and B, -c REF and B, or -c REF -c REF",
          "run 'cfgctl diff --help' for usage");
    }
    List<JsonNode> docs = new ArrayList<>();
    if (!configs.isEmpty()) {
      try (Session s = store.open(io)) {
        for (String c : configs) {
          Ref r = s.ref(c);
          docs.add(
              (r.version() == null
                      ? s.store().get(s.who(), r.config())
                      : s.store().get(s.who(), r.config(), r.version()))
                  .content());
        }
      }
    }
    Inputs inputs = new Inputs(io);
    for (String f : files) docs.add(inputs.read(f, input.limits()).json());
    JsonNode docA = docs.get(0);
    JsonNode docB = docs.get(1);
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
      output.printer(io, common, Format.TEXT).print(Result.json(merge));
      return docA.equals(docB) ? ExitCode.OK : ExitCode.NEGATIVE;
    }
    Patch patch = JsonDiff.diff(docA, docB, options);
    output.printer(io, common, Format.TEXT).print(Result.json(patch.toJson()));
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
    DiffOptions o =
        DiffOptions.DEFAULT.withIgnore(pointers).withTests(withTests).withMoves(!noMoves);
    if (arrayKeys.isEmpty()) return o;
    List<String> keys = new ArrayList<>(arrayKeys);
    keys.removeAll(DiffOptions.DEFAULT.arrayKeys());
    keys.addAll(DiffOptions.DEFAULT.arrayKeys());
    return o.withArrayKeys(keys);
  }
}
