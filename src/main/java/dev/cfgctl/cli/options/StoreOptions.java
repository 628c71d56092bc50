package dev.cfgctl.cli.options;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.ServeCommand;
import dev.cfgctl.cli.context.Contexts;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.Tunables;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a command's configs live: a server ({@code --server}, {@code CFGCTL_SERVER} or the
 * context's) reached with a bearer token (over https trusting the CAs of {@code --ca-file} when one
 * is given), or else the embedded SQLite store ({@code --store}, the context's, or the default
 * under {@code $XDG_DATA_HOME/cfgctl/}). Options beat environment variables, which beat the
 * context: {@code --store} means the embedded store whatever the context or {@code CFGCTL_SERVER}
 * say, and an empty {@code CFGCTL_SERVER} means no server.
 */
public final class StoreOptions {
  /** The tenant of a bare NAME on the embedded store when none is configured. */
  static final String LOCAL_TENANT = "default";

  String server;
  String tokenFile;
  String caFile;
  String tenant;
  String store;
  String context;

  /** Open the embedded store only if it exists (completion must not create one). */
  public boolean existingOnly;

  public static void addTo(CommandModel<StoreOptions> m) {
    m.option(
        "--server",
        "URL",
        "The config API to use (env CFGCTL_SERVER; set but empty: none)."
            + " Default: the current context's, else the embedded store.",
        (o, v) -> o.server = v);
    m.option(
        "--token-file",
        "FILE",
        "File holding the bearer token (env CFGCTL_TOKEN holds the token"
            + " itself, CFGCTL_TOKEN_FILE a file).",
        (o, v) -> o.tokenFile = v);
    m.option(
        "--ca-file",
        "FILE",
        "Trust only the CA certificates in this PEM file for an https"
            + " server (env CFGCTL_CA_FILE). Default: the context's, else the JDK's trusted CAs.",
        (o, v) -> o.caFile = v);
    m.option(
            "--tenant",
            "TENANT",
            "Tenant of refs given without one (env CFGCTL_TENANT).",
            (o, v) -> o.tenant = v)
        .completionCandidates(Candidates.TENANTS);
    m.option(
        "--store",
        "DIR",
        "Use the embedded store in DIR, even when a context or CFGCTL_SERVER"
            + " names a server (default DIR: $XDG_DATA_HOME/cfgctl).",
        (o, v) -> o.store = v);
    m.option(
            "--context",
            "NAME",
            "Use this context instead of the current one (env CFGCTL_CONTEXT).",
            (o, v) -> o.context = v)
        .completionCandidates(Candidates.CONTEXTS);
  }

  /** Opens the store this command line names. */
  public Session open(Io io) {
    if (server != null && store != null)
      throw CliException.usage("--server and --store exclude each other", null);
    String contextName = pick(context, io.env().get("CFGCTL_CONTEXT"), null);
    Contexts.Context ctx = Contexts.load(io).get(contextName);
    String tenantName =
        pick(tenant, io.env().get("CFGCTL_TENANT"), ctx == null ? null : ctx.tenant());
    String url = server(io, ctx);
    if (url != null) return remote(io, url, tenantName, ctx);
    String storeDir = store != null ? store : ctx == null ? null : ctx.store();
    Path dir = storeDir != null ? Path.of(storeDir) : ServeCommand.defaultDataDir(io);
    if (existingOnly && !Files.exists(dir.resolve("cfgctl.db"))) {
      throw CliException.usage("no store in " + dir, null);
    }
    ConfigStore s;
    try {
      s = io.stores().jdbc("jdbc:sqlite:" + dir.resolve("cfgctl.db"), Tunables.DEFAULT, io.clock());
    } catch (StoreException e) {
      throw new CliException(
          ExitCode.UNAVAILABLE,
          "cannot open the local store in " + dir + ": " + e.getMessage(),
          "check that " + dir + " is writable, or choose another with --store DIR");
    }
    return new Session(
        s, Principal.localUser(), tenantName != null ? tenantName : LOCAL_TENANT, dir.toString());
  }

  /**
   * The server's URL, or null for the embedded store: --server; none with --store (an option beats
   * the context and the variables); CFGCTL_SERVER, where set but empty means none; the context's.
   */
  private String server(Io io, Contexts.Context ctx) {
    if (server != null) return server;
    if (store != null) return null;
    String env = io.env().get("CFGCTL_SERVER");
    if (env != null) return env.isEmpty() ? null : env;
    return ctx == null ? null : ctx.server();
  }

  /**
   * Makes a child's environment choose what this command line chose, so that a cfgctl that {@code
   * lock exec} runs writes to the same server, as the same token, in the same tenant: the options
   * given (and the global --context) become the variables they stand for. {@code --store} has no
   * variable; a child of {@code --store DIR} needs its own.
   */
  public void passTo(Io io, Map<String, String> child) {
    String ctx = context != null ? context : io.env().get("CFGCTL_CONTEXT");
    if (ctx != null) child.put("CFGCTL_CONTEXT", ctx);
    if (server != null) child.put("CFGCTL_SERVER", server);
    if (tenant != null) child.put("CFGCTL_TENANT", tenant);
    if (caFile != null) child.put("CFGCTL_CA_FILE", Path.of(caFile).toAbsolutePath().toString());
    if (tokenFile != null) {
      child.remove("CFGCTL_TOKEN"); // it would beat the file
      child.put("CFGCTL_TOKEN_FILE", Path.of(tokenFile).toAbsolutePath().toString());
    }
  }

  /** Refuses a server address that is not an http(s) URL. */
  public static void checkUrl(String url) {
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw CliException.usage(
          "--server takes an http:// or https:// URL, not \"" + url + "\"",
          "e.g. --server http://127.0.0.1:8080");
    }
  }

  private Session remote(Io io, String url, String tenantName, Contexts.Context ctx) {
    checkUrl(url);
    String ca = pick(caFile, io.env().get("CFGCTL_CA_FILE"), ctx == null ? null : ctx.caFile());
    if (caFile != null && !url.startsWith("https://")) {
      throw CliException.usage(
          "--ca-file is for https:// servers, and " + url + " is not one",
          "use the server's https:// URL, or leave --ca-file out");
    }
    String token = token(io, ctx);
    ConfigStore s;
    try {
      s = io.stores().http(url, token, ca == null ? null : Path.of(ca));
    } catch (StoreException e) {
      throw CliException.usage(e.getMessage(), null);
    }
    // the server knows who the token stands for and checks everything; this is only a label
    return new Session(
        s, new Principal("token", "token", Principal.ALL_TENANTS, Role.VIEWER), tenantName, url);
  }

  /** The bearer token: --token-file, CFGCTL_TOKEN, CFGCTL_TOKEN_FILE, then the context's file. */
  private String token(Io io, Contexts.Context ctx) {
    if (tokenFile == null
        && io.env().get("CFGCTL_TOKEN") != null
        && !io.env().get("CFGCTL_TOKEN").isBlank()) {
      return io.env().get("CFGCTL_TOKEN").trim();
    }
    String file =
        pick(tokenFile, io.env().get("CFGCTL_TOKEN_FILE"), ctx == null ? null : ctx.tokenFile());
    if (file == null) {
      throw new CliException(
          ExitCode.DENIED,
          "no token for the server",
          "pass --token-file FILE, set CFGCTL_TOKEN, or save one in a context: cfgctl context set NAME"
              + " --server URL --token-file FILE");
    }
    try {
      String t = Files.readString(Path.of(file)).trim();
      if (t.isEmpty() || t.contains("\n")) {
        throw CliException.usage(
            "token file " + file + " does not hold one token", "it should hold one line");
      }
      return t;
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCode.NOT_FOUND, "token file " + file + " does not exist", null);
    } catch (AccessDeniedException e) {
      throw CliException.usage("cannot read token file " + file + ": permission denied", null);
    } catch (IOException e) {
      throw CliException.usage("cannot read token file " + file + ": " + e.getMessage(), null);
    }
  }

  private static String pick(String option, String env, String context) {
    if (option != null) return option;
    if (env != null && !env.isEmpty()) return env;
    return context;
  }
}
