package dev.cfgctl.cli.token;

import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.FormatOption;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoreOptions;
import dev.cfgctl.output.Format;
import dev.cfgctl.store.Token;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code token list}. */
public final class TokenListCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<TokenListCommand> m =
        CommandModel.command("list", TokenListCommand.class, () -> new TokenListCommand(io))
            .header("List tokens (never their secrets).")
            .examples(
                "Every token of the tenants you administer",
                "cfgctl token list",
                "The ids of sarah's tokens, for a script",
                "cfgctl token list -o json | jq -r '.[] | select(.user == \"sarah\") | .id'");
    CommonOptions.addTo(m.mixin(c -> c.common));
    FormatOption.addTo(m.mixin(c -> c.output));
    StoreOptions.addTo(m.mixin(c -> c.store));
    return m.spec();
  }

  final Io io;
  final CommonOptions common = new CommonOptions();
  final FormatOption output = new FormatOption();
  final StoreOptions store = new StoreOptions();

  TokenListCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    common.check();
    try (Session s = store.open(io)) {
      List<Token> tokens = s.store().tokens(s.who());
      output.printer(io, common, Format.TEXT).print(new TokenList(tokens));
      return ExitCode.OK;
    }
  }
}
