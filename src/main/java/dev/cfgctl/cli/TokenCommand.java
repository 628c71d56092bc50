package dev.cfgctl.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.Times;
import dev.cfgctl.store.Token;
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
        .examples("An editor token for sarah in acme, valid 90 days",
            "cfgctl token create --user sarah --name \"Sarah Chen\" --role editor --tenant acme --expires-in-days 90 > sarah.token")
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
        Token.Issued t = s.store().createToken(s.who(), new Principal(user, name, tenant, r), days);
        if (json) {
          ObjectNode o = t.token().toJson();
          o.put("token", t.secret());
          Outputs.print(io, o, common.pretty(io.stdoutTerminal()));
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
        .header("Create a token; prints its secret (once).");
    CommonOptions.addTo(m.mixin(c -> c.common));
    FormatOption.addTo(m.mixin(c -> c.output));
    StoreOptions.addTo(m.mixin(c -> c.store));
    m.option("--user", "ID", "The user the token stands for.", (c, v) -> c.user = v).required(true);
    m.option("--name", "NAME", "Their display name (default: the id).", (c, v) -> c.name = v);
    m.option("--role", "ROLE", "viewer, editor or admin.", (c, v) -> c.role = v).required(true)
        .completionCandidates(Candidates.of(Arrays.stream(Role.values()).map(Role::label).toList()));
    m.option("--expires-in-days", Integer.class, "N", "Expire after N days (1-3650; default: never).",
        (c, v) -> c.days = v);
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
        .header("List tokens (never their secrets).");
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
        .header("Revoke a token: it stops working at once.");
    StoreOptions.addTo(m.mixin(c -> c.store));
    m.operand("ID", "The token's id (tok_…, see token list).", (c, v) -> c.id = v);
    return m.spec();
  }
}
