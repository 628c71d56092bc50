package dev.cfgctl.cli.token;

import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
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
    StoredOptions.addTo(m.mixin(c -> c.opts));
    return m.spec();
  }

  final Io io;
  final StoredOptions opts = new StoredOptions();

  TokenListCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    opts.check();
    try (Session s = opts.open(io)) {
      List<Token> tokens = s.store().tokens(s.who());
      opts.printer(io).print(new TokenList(tokens));
      return ExitCode.OK;
    }
  }
}
