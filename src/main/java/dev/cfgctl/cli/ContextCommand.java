package dev.cfgctl.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cfgctl context set|use|list}: named server/token/tenant profiles, like kubectl's. */
public final class ContextCommand {
  private ContextCommand() {}

  static CommandSpec model(Io io) {
    CommandSpec spec = CommandModel.command("context", Group.class, s -> new Group(io, s))
        .header("Manage contexts: named server, token file and tenant settings.")
        .description("Contexts live in $XDG_CONFIG_HOME/cfgctl/config.json (owner-only). The current"
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
    spec.addSubcommand("set", setModel(io));
    spec.addSubcommand("use", useModel(io));
    spec.addSubcommand("list", listModel(io));
    return spec;
  }


  /** {@code context set NAME …}: creates or changes a context. */
  public static final class Set implements Callable<Integer> {
    final Io io;
    String name;
    String server;
    String tokenFile;
    String caFile;
    String tenant;
    String store;
    boolean use;

    Set(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      if (name.isBlank()) throw CliException.usage("a context needs a name", null);
      if (server != null && store != null) throw CliException.usage("--server and --store exclude each other", null);
      if (server != null) StoreOptions.checkUrl(server);
      if (caFile != null && store != null) {
        throw CliException.usage("--ca-file is for https:// servers, not --store", null);
      }
      Contexts c = Contexts.load(io);
      Contexts.Context old = c.all.get(name);
      boolean first = c.all.isEmpty();
      String url = server != null ? server : store != null || old == null ? null : old.server();
      if (caFile != null && (url == null || !url.startsWith("https://"))) {
        throw CliException.usage("--ca-file is for https:// servers, and the context's server is "
            + (url == null ? "not set" : url), "give the server's https:// URL with --server");
      }
      String file = absolute(tokenFile);
      String ca = absolute(caFile);
      Contexts.Context ctx = new Contexts.Context(
          url,
          file != null ? file : old == null ? null : old.tokenFile(),
          ca != null ? ca : store != null || old == null ? null : old.caFile(),
          tenant != null ? tenant : old == null ? null : old.tenant(),
          store != null ? absolute(store) : server != null || old == null ? null : old.store());
      c.all.put(name, ctx);
      if (use || first) c.current = name;
      c.save();
      io.err().println("context " + name + (old == null ? " created" : " updated")
          + (name.equals(c.current) ? " (current)" : "") + " in " + c.file);
      return ExitCode.OK;
    }

    /** The path as it is kept: absolute and normalised ({@code /home/ann/ci.token}, not {@code ./ci.token}). */
    private static String absolute(String path) {
      return path == null ? null : Path.of(path).toAbsolutePath().normalize().toString();
    }
  }

  private static CommandSpec setModel(Io io) {
    CommandModel<Set> m = CommandModel.command("set", Set.class, () -> new Set(io))
        .header("Create or change a context.")
        .description("Options not given keep their value. The first context made becomes current.")
        .examples(
            "A server and a default tenant; current from now on",
            "cfgctl context set prod --server https://cfg.example.com --tenant acme --use",
            "Its token, read from a file (kept as an absolute path)",
            "cfgctl context set prod --token-file prod.token",
            "A local store of its own, no server",
            "cfgctl context set scratch --store ./scratch-store --tenant test");
    m.operand("NAME", "The context's name.", (c, v) -> c.name = v).completionCandidates(Candidates.CONTEXTS);
    m.option("--server", "URL", "The config API's URL.", (c, v) -> c.server = v);
    m.option("--token-file", "FILE", "File holding the bearer token (stored as an absolute path).",
        (c, v) -> c.tokenFile = v);
    m.option("--ca-file", "FILE", "PEM file of the CA certificates to trust for the https server,"
        + " instead of the JDK's (stored as an absolute path).", (c, v) -> c.caFile = v);
    m.option("--tenant", "TENANT", "Tenant of refs given without one.", (c, v) -> c.tenant = v)
        .completionCandidates(Candidates.TENANTS);
    m.option("--store", "DIR", "An embedded store directory instead of a server.", (c, v) -> c.store = v);
    m.flag("--use", "Make it the current context.", (c, v) -> c.use = v);
    return m.spec();
  }

  /** {@code context use NAME|--none}. */
  public static final class Use implements Callable<Integer> {
    final Io io;
    String name;
    boolean none;

    Use(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      if (none && name != null) throw CliException.usage("give a context NAME or --none, not both", null);
      Contexts c = Contexts.load(io);
      if (none) {
        c.current = null;
        c.save();
        io.err().println("no current context: commands use the embedded store unless --server,"
            + " CFGCTL_SERVER, --context or CFGCTL_CONTEXT say otherwise");
        return ExitCode.OK;
      }
      if (name == null || name.isEmpty()) {
        throw CliException.usage(name == null ? "which context? give its NAME" : "a context name cannot be empty",
            "to use none (the embedded store): cfgctl context use --none");
      }
      c.get(name); // refuses an unknown name, listing the known ones
      c.current = name;
      c.save();
      io.err().println("now using context " + name);
      return ExitCode.OK;
    }
  }

  private static CommandSpec useModel(Io io) {
    CommandModel<Use> m = CommandModel.command("use", Use.class, () -> new Use(io))
        .header("Make a context the current one, or none.")
        .description("With --none no context is current: commands use the embedded store, unless"
            + " --server, CFGCTL_SERVER, --context or CFGCTL_CONTEXT name another.")
        .examples(
            "Work on production from now on",
            "cfgctl context use prod",
            "Back to the embedded store (kubectl: config unset current-context)",
            "cfgctl context use --none");
    m.operand("NAME", "The context's name.", (c, v) -> c.name = v).arity("0..1")
        .completionCandidates(Candidates.CONTEXTS);
    m.flag("--none", "Make no context current.", (c, v) -> c.none = v);
    return m.spec();
  }

  /** {@code context list}. */
  public static final class List implements Callable<Integer> {
    final Io io;
    final FormatOption output = new FormatOption();

    List(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      boolean json = output.json("text");
      Contexts c = Contexts.load(io);
      if (json) {
        ObjectNode o = Json.NODES.objectNode();
        if (c.current == null) o.putNull("current"); else o.put("current", c.current);
        ObjectNode all = o.putObject("contexts");
        c.all.forEach((name, ctx) -> all.set(name, ctx.toJson()));
        Outputs.print(io, o, io.stdoutTerminal());
        return ExitCode.OK;
      }
      Table t = new Table("CURRENT", "NAME", "SERVER", "TENANT", "TOKEN FILE");
      c.all.forEach((name, ctx) -> t.row(name.equals(c.current) ? "*" : "", name,
          ctx.server() != null ? ctx.server() : "embedded " + (ctx.store() != null ? ctx.store() : "(default)"),
          ctx.tenant() == null ? "-" : ctx.tenant(), ctx.tokenFile() == null ? "-" : ctx.tokenFile()));
      t.print(io.out());
      return ExitCode.OK;
    }
  }

  private static CommandSpec listModel(Io io) {
    CommandModel<List> m = CommandModel.command("list", List.class, () -> new List(io))
        .header("List the contexts; * marks the current one.")
        .examples(
            "Which context is current, and what each one names",
            "cfgctl context list",
            "The current context's name, for a script (null when none)",
            "cfgctl context list -o json | jq -r .current");
    FormatOption.addTo(m.mixin(c -> c.output));
    return m.spec();
  }
}
