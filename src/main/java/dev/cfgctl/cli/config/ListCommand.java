package dev.cfgctl.cli.config;

import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
import dev.cfgctl.output.Format;
import dev.cfgctl.store.ConfigSummary;
import dev.cfgctl.store.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code list [--prefix TEXT]}: a tenant's configs. */
public final class ListCommand implements Callable<Integer> {
  public static CommandSpec model(Io io) {
    CommandModel<ListCommand> m =
        CommandModel.command("list", ListCommand.class, () -> new ListCommand(io))
            .header("List the configs of a tenant.")
            .examples("Every landing page of acme", "cfgctl list --tenant acme --prefix landing");
    StoredOptions.addTo(m.mixin(c -> c.opts));
    m.option("--prefix", "TEXT", "Only names starting with TEXT.", (c, v) -> c.prefix = v);
    return m.spec();
  }

  final StoredOptions opts = new StoredOptions();
  String prefix;

  private final Io io;

  public ListCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    opts.check();
    try (Session s = opts.open(io)) {
      if (s.tenant() == null) throw CliException.usage("which tenant? pass --tenant T", null);
      List<ConfigSummary> all = all(s, prefix);
      if (all.isEmpty() && opts.output.format(Format.TEXT) == Format.TEXT) {
        // as lock list: no header over nothing
        io.err()
            .println(
                "no configs in " + s.tenant() + (prefix == null ? "" : " named " + prefix + "…"));
        return ExitCode.OK;
      }
      opts.printer(io).print(new ConfigList(all, io.clock().instant()));
      return ExitCode.OK;
    }
  }

  /** Every config of the session's tenant whose name starts with {@code prefix}, all pages. */
  public static List<ConfigSummary> all(Session s, String prefix) {
    List<ConfigSummary> all = new ArrayList<>();
    String after = null;
    do {
      Page<ConfigSummary> page = s.store().list(s.who(), s.tenant(), prefix, 1000, after);
      all.addAll(page.items());
      after = page.next();
    } while (after != null);
    return all;
  }
}
