package dev.cfgctl.cli.config;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.file.Inputs;
import dev.cfgctl.cli.options.InputOptions;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Document;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code save REF FILE}: a document as a config's new version. */
public final class SaveCommand implements Callable<Integer> {
  public static CommandSpec model(Io io) {
    CommandModel<SaveCommand> m =
        CommandModel.command("save", SaveCommand.class, () -> new SaveCommand(io))
            .header("Store a document as the new version of a config.")
            .description(
                "Replace a stored config's content with FILE. Say which version your content is"
                    + " based on (--expect-version N): if the config changed since, the save is refused (exit 3)"
                    + " with who changed what, or with --rebase merged with those changes when they do not"
                    + " overlap. --create makes a new config; --force overwrites whatever is there.")
            .examples(
                "Edit and save, safely",
                "cfgctl get acme/landing -o json | jq .version   # 7\n"
                    + "  cfgctl get acme/landing > landing.json && $EDITOR landing.json\n"
                    + "  cfgctl save acme/landing landing.json --expect-version 7 -m \"new headline\"",
                "A new config",
                "cfgctl save acme/pricing pricing.json --create");
    StoredOptions.addWriteTo(m.mixin(c -> c.opts), true);
    InputOptions.addTo(m.mixin(c -> c.input));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v)
        .completionCandidates(Candidates.REFS);
    m.operand("FILE", "The new content (- for stdin).", (c, v) -> c.file = v);
    m.option(
        "--expect-version",
        Long.class,
        "N",
        "The version your content is based on.",
        (c, v) -> c.expect = v);
    m.flag("--create", "Create the config (refused if it exists).", (c, v) -> c.create = v);
    m.flag(
        "--force",
        "Overwrite whatever version is there (recorded as forced).",
        (c, v) -> c.force = v);
    return m.spec();
  }

  final StoredOptions opts = new StoredOptions();
  final InputOptions input = new InputOptions();
  String ref;
  String file;
  Long expect;
  boolean create;
  boolean force;

  private final Io io;

  public SaveCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    opts.check();
    int modes = (expect != null ? 1 : 0) + (create ? 1 : 0) + (force ? 1 : 0);
    if (modes != 1) {
      throw CliException.usage(
          modes == 0
              ? "save needs --expect-version N, --create or --force"
              : "--expect-version, --create and --force exclude each other",
          "--expect-version N is the version your file is based on (cfgctl get REF -o json shows it)");
    }
    if (opts.write.rebase && expect == null)
      throw CliException.usage("--rebase needs --expect-version", null);
    Inputs.Document content = new Inputs(io).read(file, input.limits());
    try (Session s = opts.open(io)) {
      Ref r = s.ref(ref).current("save");
      ConfigStore.Write w = opts.write(io);
      Document d =
          create
              ? s.store().create(s.who(), r.config(), content.json(), w)
              : s.store()
                  .save(s.who(), r.config(), content.json(), force ? ConfigStore.FORCE : expect, w);
      opts.printer(io).print(new Written(create ? "created" : "saved", d));
      return ExitCode.OK;
    }
  }
}
