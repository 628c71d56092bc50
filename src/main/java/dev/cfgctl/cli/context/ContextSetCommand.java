package dev.cfgctl.cli.context;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.StoreOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code context set NAME …}: creates or changes a context. */
public final class ContextSetCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<ContextSetCommand> m =
        CommandModel.command("set", ContextSetCommand.class, () -> new ContextSetCommand(io))
            .header("Create or change a context.")
            .description(
                "Options not given keep their value. The first context made becomes current.")
            .examples(
                "A server and a default tenant; current from now on",
                "cfgctl context set prod --server https://cfg.example.com --tenant acme --use",
                "Its token, read from a file (kept as an absolute path)",
                "cfgctl context set prod --token-file prod.token",
                "A local store of its own, no server",
                "cfgctl context set scratch --store ./scratch-store --tenant test");
    m.operand("NAME", "The context's name.", (c, v) -> c.name = v)
        .completionCandidates(Candidates.CONTEXTS);
    m.option("--server", "URL", "The config API's URL.", (c, v) -> c.server = v);
    m.option(
        "--token-file",
        "FILE",
        "File holding the bearer token (stored as an absolute path).",
        (c, v) -> c.tokenFile = v);
    m.option(
        "--ca-file",
        "FILE",
        "PEM file of the CA certificates to trust for the https server,"
            + " instead of the JDK's (stored as an absolute path).",
        (c, v) -> c.caFile = v);
    m.option("--tenant", "TENANT", "Tenant of refs given without one.", (c, v) -> c.tenant = v)
        .completionCandidates(Candidates.TENANTS);
    m.option(
        "--store",
        "DIR",
        "An embedded store directory instead of a server.",
        (c, v) -> c.store = v);
    m.flag("--use", "Make it the current context.", (c, v) -> c.use = v);
    return m.spec();
  }

  final Io io;
  String name;
  String server;
  String tokenFile;
  String caFile;
  String tenant;
  String store;
  boolean use;

  ContextSetCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    if (name.isBlank()) throw CliException.usage("a context needs a name", null);
    if (server != null && store != null)
      throw CliException.usage("--server and --store exclude each other", null);
    if (server != null) StoreOptions.checkUrl(server);
    if (caFile != null && store != null) {
      throw CliException.usage("--ca-file is for https:// servers, not --store", null);
    }
    Contexts c = Contexts.load(io);
    Contexts.Context old = c.all.get(name);
    boolean first = c.all.isEmpty();
    String url = server != null ? server : store != null || old == null ? null : old.server();
    if (caFile != null && (url == null || !url.startsWith("https://"))) {
      throw CliException.usage(
          "--ca-file is for https:// servers, and the context's server is "
              + (url == null ? "not set" : url),
          "give the server's https:// URL with --server");
    }
    String file = absolute(tokenFile);
    String ca = absolute(caFile);
    Contexts.Context ctx =
        new Contexts.Context(
            url,
            file != null ? file : old == null ? null : old.tokenFile(),
            ca != null ? ca : store != null || old == null ? null : old.caFile(),
            tenant != null ? tenant : old == null ? null : old.tenant(),
            store != null ? absolute(store) : server != null || old == null ? null : old.store());
    c.all.put(name, ctx);
    if (use || first) c.current = name;
    c.save();
    io.err()
        .println(
            "context "
                + name
                + (old == null ? " created" : " updated")
                + (name.equals(c.current) ? " (current)" : "")
                + " in "
                + c.file);
    return ExitCode.OK;
  }

  /**
   * The path as it is kept: absolute and normalised ({@code /home/ann/ci.token}, not {@code
   * ./ci.token}).
   */
  private static String absolute(String path) {
    return path == null ? null : Path.of(path).toAbsolutePath().normalize().toString();
  }
}
