package dev.cfgctl.cli.token;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.file.Outputs;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.Token;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code token create}. */
public final class TokenCreateCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<TokenCreateCommand> m =
        CommandModel.command("create", TokenCreateCommand.class, () -> new TokenCreateCommand(io))
            .header("Create a token; prints its secret (once), or writes it to a file.")
            .examples(
                "CI, an editor in the context's tenant; its secret into a new 0600 file",
                "cfgctl token create --user ci --role editor --secret-file ci.token",
                "An admin of every tenant for 30 days; the secret on stdout",
                "cfgctl token create --user ops --role admin --tenant '*' --expires-in-days 30");
    StoredOptions.addTo(m.mixin(c -> c.opts));
    m.option("--user", "ID", "The user the token stands for.", (c, v) -> c.user = v).required(true);
    m.option("--name", "NAME", "Their display name (default: the id).", (c, v) -> c.name = v);
    m.option("--role", "ROLE", "viewer, editor or admin.", (c, v) -> c.role = v)
        .required(true)
        .completionCandidates(
            Candidates.of(Arrays.stream(Role.values()).map(Role::label).toList()));
    m.option(
        "--expires-in-days",
        Integer.class,
        "N",
        "Expire after N days (1-3650; default: never).",
        (c, v) -> c.days = v);
    m.option(
        "--secret-file",
        "FILE",
        "Write the secret to FILE, created new and owner-only (0600)," + " instead of printing it.",
        (c, v) -> c.secretFile = v);
    m.flag("--force", "With --secret-file: replace FILE if it exists.", (c, v) -> c.force = v);
    return m.spec();
  }

  final Io io;
  final StoredOptions opts = new StoredOptions();
  String user;
  String name;
  String role;
  Integer days;
  String secretFile;
  boolean force;

  TokenCreateCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    opts.check();
    boolean json = opts.output.json("text");
    Role r;
    try {
      r = Role.parse(role);
    } catch (RuntimeException e) {
      throw CliException.usage("--role is viewer, editor or admin, not \"" + role + "\"", null);
    }
    try (Session s = opts.open(io)) {
      String tenant = s.tenant();
      if (tenant == null)
        throw CliException.usage("which tenant? pass --tenant T (or * for all)", null);
      // the file first: a secret that cannot be written must not leave a live token behind
      Path file = secretFile == null ? null : Outputs.createOwnerOnly(Path.of(secretFile), force);
      Token.Issued t;
      try {
        t = s.store().createToken(s.who(), new Principal(user, name, tenant, r), days);
      } catch (RuntimeException e) {
        Outputs.deleteQuietly(file);
        throw e;
      }
      if (file != null) {
        try {
          Outputs.writeSecret(file, t.secret());
        } catch (CliException e) {
          String id = t.token().id();
          throw new CliException(
              e.exitCode(),
              e.getMessage(),
              "token "
                  + id
                  + " exists, but its"
                  + " secret is lost: revoke it with cfgctl token revoke "
                  + id
                  + " and create another");
        }
      }
      opts.printer(io).print(new TokenIssued(t, file));
      if (!json) {
        io.err()
            .println(
                "created token "
                    + t.token().id()
                    + " for "
                    + user
                    + " ("
                    + r.label()
                    + " in "
                    + tenant
                    + "); "
                    + (file == null
                        ? "the secret above is shown only this once"
                        : "its secret is in " + file + " (owner-only)"));
      }
      return ExitCode.OK;
    }
  }
}
