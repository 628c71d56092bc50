package dev.cfgctl.cli.token;

import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoreOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code token revoke ID}. */
public final class TokenRevokeCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<TokenRevokeCommand> m =
        CommandModel.command("revoke", TokenRevokeCommand.class, () -> new TokenRevokeCommand(io))
            .header("Revoke a token: it stops working at once.")
            .examples(
                "Revoke the token whose id token list shows",
                "cfgctl token revoke tok_3f2a9c",
                "The same on the server of another context",
                "cfgctl token revoke tok_3f2a9c --context prod");
    StoreOptions.addTo(m.mixin(c -> c.store));
    m.operand("ID", "The token's id (tok_…, see token list).", (c, v) -> c.id = v);
    return m.spec();
  }

  final Io io;
  final StoreOptions store = new StoreOptions();
  String id;

  TokenRevokeCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    try (Session s = store.open(io)) {
      s.store().revokeToken(s.who(), id);
      io.err().println("revoked token " + id);
      return ExitCode.OK;
    }
  }
}
