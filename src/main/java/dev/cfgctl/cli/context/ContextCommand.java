package dev.cfgctl.cli.context;

import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.Group;
import dev.cfgctl.cli.Io;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cfgctl context set|use|list}: named server/token/tenant profiles, like kubectl's. */
public final class ContextCommand {
  private ContextCommand() {}

  public static CommandSpec model(Io io) {
    CommandSpec spec =
        CommandModel.command("context", Group.class, s -> new Group(io, s))
            .header("Manage contexts: named server, token file and tenant settings.")
            .description(
                "Contexts live in $XDG_CONFIG_HOME/cfgctl/config.json (owner-only). The current"
                    + " context applies to every command; cfgctl --context NAME, a command's --context NAME,"
                    + " CFGCTL_CONTEXT and the variables CFGCTL_SERVER, CFGCTL_TOKEN, CFGCTL_CA_FILE,"
                    + " CFGCTL_TENANT override it, and --store DIR or an empty CFGCTL_SERVER choose the"
                    + " embedded store instead of its server.")
            .examples(
                "Production; bare config names are acme's",
                "cfgctl context set prod --server https://cfg.example.com --tenant acme",
                "A server whose certificate a private CA signed",
                "cfgctl context set lab --server https://cfg.lab:8443 --ca-file lab-ca.pem",
                "Use it from now on",
                "cfgctl context use prod",
                "Back to the embedded store",
                "cfgctl context use --none")
            .spec();
    spec.addSubcommand("set", ContextSetCommand.model(io));
    spec.addSubcommand("use", ContextUseCommand.model(io));
    spec.addSubcommand("list", ContextListCommand.model(io));
    return spec;
  }
}
