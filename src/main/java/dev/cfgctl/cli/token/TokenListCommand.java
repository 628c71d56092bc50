package dev.cfgctl.cli.token;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.FormatOption;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoreOptions;
import dev.cfgctl.output.Format;
import dev.cfgctl.output.Result;
import dev.cfgctl.output.Table;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Times;
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
    boolean json = output.json("text");
    try (Session s = store.open(io)) {
      List<Token> tokens = s.store().tokens(s.who());
      if (json) {
        ArrayNode a = Json.NODES.arrayNode();
        tokens.forEach(t -> a.add(t.toJson()));
        output.printer(io, common, Format.TEXT).print(Result.list(a, a));
        return ExitCode.OK;
      }
      Table t = new Table("ID", "USER", "TENANT", "ROLE", "CREATED", "EXPIRES", "REVOKED");
      for (Token k : tokens) {
        t.row(k.id(), k.principal().id(), k.principal().tenant(), k.principal().role().label(),
            Times.format(k.createdAt()), k.expiresAt() == null ? "never" : Times.format(k.expiresAt()),
            k.revokedAt() == null ? "-" : Times.format(k.revokedAt()));
      }
      t.print(io.out());
      return ExitCode.OK;
    }
  }
}
