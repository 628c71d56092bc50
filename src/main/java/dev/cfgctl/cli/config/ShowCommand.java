package dev.cfgctl.cli.config;

import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
import dev.cfgctl.store.Revision;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code show REF@VERSION}: one revision. */
public final class ShowCommand implements Callable<Integer> {
  public static CommandSpec model(Io io) {
    CommandModel<ShowCommand> m =
        CommandModel.command("show", ShowCommand.class, () -> new ShowCommand(io))
            .header("Show one revision: who, when, why, its patch and inverse.")
            .examples(
                "What did version 8 change?",
                "cfgctl show acme/landing@8",
                "Its inverse, to apply by hand",
                "cfgctl show acme/landing@8 -o json | jq .inverse");
    StoredOptions.addTo(m.mixin(c -> c.opts));
    m.operand("REF@VERSION", "The revision: [TENANT/]NAME@VERSION.", (c, v) -> c.ref = v);
    return m.spec();
  }

  final StoredOptions opts = new StoredOptions();
  String ref;

  private final Io io;

  public ShowCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    opts.check();
    try (Session s = opts.open(io)) {
      Ref r = s.ref(ref);
      if (r.version() == null) {
        throw CliException.usage(
            "show needs a version: " + r.config() + "@N",
            "list the versions with: cfgctl history " + r.config());
      }
      Revision rev = s.store().revision(s.who(), r.config(), r.version());
      opts.printer(io).print(new ShownRevision(rev));
      return ExitCode.OK;
    }
  }
}
