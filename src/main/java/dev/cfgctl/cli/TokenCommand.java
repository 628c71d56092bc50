package dev.cfgctl.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.Times;
import dev.cfgctl.store.Token;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cfgctl token create|list|revoke}: bearer tokens (admins). */
public final class TokenCommand {
  private TokenCommand() {}

  static CommandSpec model(Io io) {
    CommandSpec spec = CommandModel.command("token", Group.class, s -> new Group(io, s))
        .header("Create, list and revoke bearer tokens (admins).")
        .description("A token stands for a user in one tenant (or all, *) with a role: viewer < editor <"
            + " admin. Its secret is shown once, when it is created; the server keeps only a hash.")
        .examples(
            "An editor token for sarah, in the context's tenant, into an owner-only file",
            "cfgctl token create --user sarah --role editor --secret-file sarah.token",
            "Who holds which token",
            "cfgctl token list",
            "Sarah left: her token stops working at once",
            "cfgctl token revoke tok_3f2a9c")
        .spec();
    spec.addSubcommand("create", createModel(io));
    spec.addSubcommand("list", listModel(io));
    spec.addSubcommand("revoke", revokeModel(io));
    return spec;
  }


  /** {@code token create}. */
  public static final class Create implements Callable<Integer> {
    final Io io;
    final CommonOptions common = new CommonOptions();
    final FormatOption output = new FormatOption();
    final StoreOptions store = new StoreOptions();
    String user;
    String name;
    String role;
    Integer days;
    String secretFile;
    boolean force;

    Create(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      common.check();
      boolean json = output.json("text");
      Role r;
      try {
        r = Role.parse(role);
      } catch (RuntimeException e) {
        throw CliException.usage("--role is viewer, editor or admin, not \"" + role + "\"", null);
      }
      try (Session s = store.open(io)) {
        String tenant = s.tenant();
        if (tenant == null) throw CliException.usage("which tenant? pass --tenant T (or * for all)", null);
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
            throw new CliException(e.exitCode(), e.getMessage(), "token " + id + " exists, but its"
                + " secret is lost: revoke it with cfgctl token revoke " + id + " and create another");
          }
        }
        if (json) {
          ObjectNode o = t.token().toJson();
          if (file == null) o.put("token", t.secret()); else o.put("secretFile", file.toString());
          Outputs.print(io, o, common.pretty(io.stdoutTerminal()));
        } else if (file != null) {
          io.err().println("created token " + t.token().id() + " for " + user + " (" + r.label() + " in "
              + tenant + "); its secret is in " + file + " (owner-only)");
        } else {
          io.out().println(t.secret());
          io.err().println("created token " + t.token().id() + " for " + user + " (" + r.label() + " in "
              + tenant + "); the secret above is shown only this once");
        }
        return ExitCode.OK;
      }
    }
  }

  private static CommandSpec createModel(Io io) {
    CommandModel<Create> m = CommandModel.command("create", Create.class, () -> new Create(io))
        .header("Create a token; prints its secret (once), or writes it to a file.")
        .examples(
            "CI, an editor in the context's tenant; its secret into a new 0600 file",
            "cfgctl token create --user ci --role editor --secret-file ci.token",
            "An admin of every tenant for 30 days; the secret on stdout",
            "cfgctl token create --user ops --role admin --tenant '*' --expires-in-days 30");
    CommonOptions.addTo(m.mixin(c -> c.common));
    FormatOption.addTo(m.mixin(c -> c.output));
    StoreOptions.addTo(m.mixin(c -> c.store));
    m.option("--user", "ID", "The user the token stands for.", (c, v) -> c.user = v).required(true);
    m.option("--name", "NAME", "Their display name (default: the id).", (c, v) -> c.name = v);
    m.option("--role", "ROLE", "viewer, editor or admin.", (c, v) -> c.role = v).required(true)
        .completionCandidates(Candidates.of(Arrays.stream(Role.values()).map(Role::label).toList()));
    m.option("--expires-in-days", Integer.class, "N", "Expire after N days (1-3650; default: never).",
        (c, v) -> c.days = v);
    m.option("--secret-file", "FILE", "Write the secret to FILE, created new and owner-only (0600),"
        + " instead of printing it.", (c, v) -> c.secretFile = v);
    m.flag("--force", "With --secret-file: replace FILE if it exists.", (c, v) -> c.force = v);
    return m.spec();
  }

  /** {@code token list}. */
  public static final class ListTokens implements Callable<Integer> {
    final Io io;
    final CommonOptions common = new CommonOptions();
    final FormatOption output = new FormatOption();
    final StoreOptions store = new StoreOptions();

    ListTokens(Io io) {
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
          Outputs.print(io, a, common.pretty(io.stdoutTerminal()));
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

  private static CommandSpec listModel(Io io) {
    CommandModel<ListTokens> m = CommandModel.command("list", ListTokens.class, () -> new ListTokens(io))
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

  /** {@code token revoke ID}. */
  public static final class Revoke implements Callable<Integer> {
    final Io io;
    final StoreOptions store = new StoreOptions();
    String id;

    Revoke(Io io) {
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

  private static CommandSpec revokeModel(Io io) {
    CommandModel<Revoke> m = CommandModel.command("revoke", Revoke.class, () -> new Revoke(io))
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
}
