package dev.cfgctl.cli.token;

import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.Group;
import dev.cfgctl.cli.Io;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cfgctl token create|list|revoke}: bearer tokens (admins). */
public final class TokenCommand {
  private TokenCommand() {}

  public static CommandSpec model(Io io) {
    CommandSpec spec =
        CommandModel.command("token", Group.class, s -> new Group(io, s))
            .header("Create, list and revoke bearer tokens (admins).")
            .description(
                "A token stands for a user in one tenant (or all, *) with a role: viewer < editor <"
                    + " admin. Its secret is shown once, when it is created; the server keeps only a hash.")
            .examples(
                "An editor token for sarah, in the context's tenant, into an owner-only file",
                "cfgctl token create --user sarah --role editor --secret-file sarah.token",
                "Who holds which token",
                "cfgctl token list",
                "Sarah left: her token stops working at once",
                "cfgctl token revoke tok_3f2a9c")
            .spec();
    spec.addSubcommand("create", TokenCreateCommand.model(io));
    spec.addSubcommand("list", TokenListCommand.model(io));
    spec.addSubcommand("revoke", TokenRevokeCommand.model(io));
    return spec;
  }
}
