package dev.cfgctl.cli.config;

import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.file.Outputs;
import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.FormatOption;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoreOptions;
import dev.cfgctl.output.Format;
import dev.cfgctl.output.Printable;
import dev.cfgctl.output.Result;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.Times;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class ShowCommand implements Callable<Integer> {
  public static CommandSpec model(Io io) {
    CommandModel<ShowCommand> m = CommandModel.command("show", ShowCommand.class, () -> new ShowCommand(io))
        .header("Show one revision: who, when, why, its patch and inverse.")
        .examples("What did version 8 change?", "cfgctl show acme/landing@8",
            "Its inverse, to apply by hand", "cfgctl show acme/landing@8 -o json | jq .inverse");
    CommonOptions.addTo(m.mixin(c -> c.common));
    FormatOption.addTo(m.mixin(c -> c.output));
    StoreOptions.addTo(m.mixin(c -> c.store));
    m.operand("REF@VERSION", "The revision: [TENANT/]NAME@VERSION.", (c, v) -> c.ref = v);
    return m.spec();
  }

  final CommonOptions common = new CommonOptions();
  final FormatOption output = new FormatOption();
  final StoreOptions store = new StoreOptions();
  String ref;

  private final Io io;

  public ShowCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    common.check();
    boolean json = output.json("text");
    try (Session s = store.open(io)) {
      Ref r = s.ref(ref);
      if (r.version() == null) {
        throw CliException.usage("show needs a version: " + r.config() + "@N",
            "list the versions with: cfgctl history " + r.config());
      }
      Revision rev = s.store().revision(s.who(), r.config(), r.version());
      if (json) {
        output.printer(io, common, Format.TEXT).print(Result.json(rev.toJson()));
        return ExitCode.OK;
      }
      io.out().println("version " + rev.version() + " of " + rev.ref() + ": " + rev.kind().label()
          + (rev.undoes() != null ? " of version " + rev.undoes() : "")
          + (rev.forced() ? " (forced)" : "")
          + (rev.rebasedFrom() != null ? " (rebased from version " + rev.rebasedFrom() + ")" : ""));
      io.out().println("author:  " + Printable.of(rev.author().name() + " (" + rev.author().id() + ")"));
      io.out().println("at:      " + Times.format(rev.at()));
      if (rev.message() != null) io.out().println("message: " + Printable.of(rev.message()));
      io.out().println("patch:");
      Outputs.print(io, rev.patch().toJson(), true);
      io.out().println("inverse:");
      Outputs.print(io, rev.inverse().toJson(), true);
      return ExitCode.OK;
    }
  }
}
