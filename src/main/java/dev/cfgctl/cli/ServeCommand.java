package dev.cfgctl.cli;

import dev.cfgctl.app.ConfigService;
import dev.cfgctl.internal.BaseDirs;
import dev.cfgctl.internal.PemException;
import dev.cfgctl.server.ConfigServer;
import dev.cfgctl.server.ServerTls;
import dev.cfgctl.store.Limits;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.Token;
import dev.cfgctl.store.Tunables;
import dev.cfgctl.store.jdbc.Secrets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Model.CommandSpec;
import sun.misc.Signal;

public final class ServeCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<ServeCommand> m =
        CommandModel.command("serve", ServeCommand.class, () -> new ServeCommand(io))
            .header("Run the config API server.")
            .description(
                "Serve the config API (versioned configs, history, undo, edit locks, tokens)"
                    + " over HTTP, on the embedded SQLite store in --data-dir or on a database named by --db"
                    + " (jdbc:postgresql://… lets several servers share one database). On first start it"
                    + " creates an admin token and writes it to DATA-DIR/admin.token (owner-only). With"
                    + " --tls-cert and --tls-key it speaks HTTPS only; SIGHUP reads the two files again"
                    + " (after a renewal) without a restart. SIGTERM or Ctrl-C stops it gracefully:"
                    + " requests in flight, writes included, finish first.")
            .examples(
                "Serve the local store on port 8080",
                "cfgctl serve --listen 127.0.0.1:8080",
                "A node of a deployment sharing one PostgreSQL",
                "cfgctl serve --db jdbc:postgresql://db/cfgctl --data-dir /srv/cfgctl",
                "HTTPS; after a renewal of the files, kill -HUP PID reads them again",
                "cfgctl serve --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem");
    m.option(
            "--listen",
            "HOST:PORT",
            "Address to listen on (port 0 picks a free one)." + " Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.listen = v)
        .defaultValue("127.0.0.1:8080");
    m.option(
        "--db",
        "JDBC-URL",
        "The database: jdbc:postgresql://HOST/DB?user=… or jdbc:sqlite:FILE."
            + " Default: the SQLite file cfgctl.db in the data directory.",
        (c, v) -> c.db = v);
    m.option(
        "--data-dir",
        "DIR",
        "Where the embedded store and admin.token live."
            + " Default: $XDG_DATA_HOME/cfgctl (~/.local/share/cfgctl).",
        (c, v) -> c.dataDir = v == null ? null : Path.of(v));
    m.option(
        "--tls-cert",
        "FILE",
        "Serve HTTPS with this PEM certificate chain (the server's"
            + " certificate first, then its intermediates). Needs --tls-key.",
        (c, v) -> c.tlsCert = v == null ? null : Path.of(v));
    m.option(
        "--tls-key",
        "FILE",
        "The PEM private key of --tls-cert (PKCS#8 or PKCS#1," + " unencrypted).",
        (c, v) -> c.tlsKey = v == null ? null : Path.of(v));
    m.option(
            "--max-body-bytes",
            long.class,
            "N",
            "Largest request body accepted (413 beyond)." + " Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.maxBody = v)
        .defaultValue("5242880");
    m.option(
            "--max-depth",
            int.class,
            "N",
            "Deepest JSON nesting accepted (400 beyond)." + " Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.maxDepth = v)
        .defaultValue("200");
    m.option(
            "--max-ops",
            int.class,
            "N",
            "Most operations in one patch (400 beyond)." + " Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.maxOps = v)
        .defaultValue("10000");
    m.option(
            "--max-config-bytes",
            long.class,
            "N",
            "Largest config a write may leave behind, written"
                + " compactly (422 beyond). Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.maxConfig = v)
        .defaultValue(Long.toString(Limits.DEFAULT.maxDocumentBytes()));
    m.option(
            "--max-work",
            long.class,
            "N",
            "Most work one change may take: array elements shifted,"
                + " operations compared when rebasing (422 beyond). Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.maxWork = v)
        .defaultValue(Long.toString(Limits.DEFAULT.maxWork()));
    m.option(
            "--time-budget",
            long.class,
            "SECONDS",
            "Time a write may take before it is abandoned,"
                + " unchanged (503). Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.timeBudget = v)
        .defaultValue(Long.toString(ConfigServer.Options.DEFAULT.timeBudget().toSeconds()));
    m.option(
            "--rate-limit",
            double.class,
            "N",
            "Requests a second per principal, on average"
                + " (429 beyond; bursts of twice as many). Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.rate = v)
        .defaultValue(rate(ConfigServer.Options.DEFAULT.requestsPerSecond()));
    m.option(
            "--write-rate-limit",
            double.class,
            "N",
            "Writes a second per principal, on average"
                + " (429 beyond). Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.writeRate = v)
        .defaultValue(rate(ConfigServer.Options.DEFAULT.writesPerSecond()));
    m.option(
            "--retention",
            int.class,
            "N",
            "Revisions kept per config, at least." + " Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.retention = v)
        .defaultValue("1000");
    m.option(
            "--lock-ttl",
            long.class,
            "SECONDS",
            "Default lock TTL. Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.lockTtl = v)
        .defaultValue("300");
    m.option(
            "--lock-ttl-min",
            long.class,
            "SECONDS",
            "Shortest lock TTL a client may ask for." + " Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.lockTtlMin = v)
        .defaultValue("5");
    m.option(
            "--lock-ttl-max",
            long.class,
            "SECONDS",
            "Longest lock TTL a client may ask for." + " Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.lockTtlMax = v)
        .defaultValue("3600");
    return m.spec();
  }

  String listen;
  String db;
  Path dataDir;
  Path tlsCert;
  Path tlsKey;
  long maxBody;
  int maxDepth;
  int maxOps;
  long maxConfig;
  long maxWork;
  long timeBudget;
  double rate;
  double writeRate;
  int retention;
  long lockTtl;
  long lockTtlMin;
  long lockTtlMax;

  private final Io io;

  public ServeCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    int colon = listen.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
      if (colon < 1 || port < 0 || port > 65535) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      throw CliException.usage(
          "--listen takes HOST:PORT, not " + listen, "e.g. --listen 127.0.0.1:8080");
    }
    String host = listen.substring(0, colon).replaceAll("^\\[|\\]$", "");
    if (maxBody < 1
        || maxDepth < 1
        || maxDepth > 1000
        || maxOps < 1
        || retention < 1
        || maxConfig < 2
        || maxWork < 1
        || timeBudget < 1
        || !(rate > 0)
        || !(writeRate > 0)) {
      throw CliException.usage("limits must be positive (and --max-depth at most 1000)", null);
    }
    Tunables options;
    try {
      options =
          new Tunables(
              retention,
              lockTtlMin,
              lockTtlMax,
              lockTtl,
              100,
              new Limits(maxDepth, maxConfig, maxWork));
    } catch (IllegalArgumentException e) {
      throw CliException.usage(
          "lock TTLs must satisfy 1 <= --lock-ttl-min <= --lock-ttl <=" + " --lock-ttl-max", null);
    }
    ServerTls tls = tls();
    Path dir = dataDir != null ? dataDir : defaultDataDir(io);
    ConfigService store;
    try {
      store =
          io.stores()
              .jdbc(
                  db != null ? db : "jdbc:sqlite:" + dir.resolve("cfgctl.db"), options, io.clock());
    } catch (StoreException e) {
      // a malformed --db URL is a usage error (2); a database that cannot be reached is unavailable
      // (7)
      int code = ExitCode.of(e.problem());
      throw new CliException(
          code,
          Secrets.redact(e.getMessage()),
          code != ExitCode.UNAVAILABLE
              ? null
              : db == null
                  ? "check that " + dir + " is writable"
                  : "check that the database is running and accepts connections there");
    }
    Optional<Token.Issued> admin = store.bootstrapAdmin();
    if (admin.isPresent()) writeAdminToken(dir, admin.get().secret());
    else if (!Files.exists(dir.resolve("admin.token"))) {
      // a store that already had tokens (cfgctl token create on the embedded store) gets no
      // admin.token
      io.err()
          .println(
              "cfgctl serve: no admin token written to "
                  + dir.resolve("admin.token")
                  + ": the store already has tokens"
                  + (db != null
                      ? ""
                      : "; to make one: cfgctl token create"
                          + " --user admin --role admin --tenant '*' --store "
                          + dir
                          + " --secret-file "
                          + dir.resolve("admin.token")));
    }
    ConfigServer server =
        new ConfigServer(
            store,
            new ConfigServer.Options(
                maxBody, maxDepth, maxOps, Duration.ofSeconds(timeBudget), rate, writeRate),
            io.clock(),
            io.err(),
            versionString());
    try {
      server.start(host, port, tls);
    } catch (RuntimeException e) {
      store.close();
      // 2, not 7: nothing is unreachable; this command line asks for an address this machine will
      // not give it (taken by another server, or not its own), and it works again with another
      // --listen, as a usage error does
      throw CliException.usage(
          "cannot listen on "
              + listen
              + ": "
              + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
          "is another server using that port? --listen 127.0.0.1:0 picks a free one");
    }
    // expired locks are dead at once; this only writes their expiry to the audit trail promptly
    java.util.concurrent.ScheduledExecutorService sweeper =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cfgctl-lock-sweeper");
              t.setDaemon(true);
              return t;
            });
    sweeper.scheduleWithFixedDelay(
        () -> {
          try {
            store.sweepExpiredLocks();
          } catch (RuntimeException e) {
            io.err().println("cfgctl serve: lock sweep failed: " + e.getMessage());
          }
        },
        5,
        5,
        java.util.concurrent.TimeUnit.SECONDS);
    // idempotency keys are remembered for a day: forget older ones now and then
    sweeper.scheduleWithFixedDelay(
        () -> {
          try {
            store.sweepIdempotencyKeys();
          } catch (RuntimeException e) {
            io.err().println("cfgctl serve: idempotency key sweep failed: " + e.getMessage());
          }
        },
        1,
        10,
        java.util.concurrent.TimeUnit.MINUTES);
    Runnable stop =
        () -> {
          io.err().println("cfgctl serve: stopping (finishing requests in flight)");
          sweeper.shutdownNow();
          server.stop(30_000);
          store.close();
        };
    // SIGTERM and Ctrl-C end call() after a graceful stop, so the process exits 0: the JVM's own
    // handlers would exit 143 / 130 after the shutdown hooks, which service managers count as a
    // failure. The hook still stops gracefully on any other end of the JVM (System.exit, …).
    CountDownLatch stopRequested = new CountDownLatch(1);
    for (String name : List.of("TERM", "INT")) {
      Signal.handle(new Signal(name), signal -> stopRequested.countDown());
    }
    // SIGHUP is what certbot's deploy hooks and service managers send after a renewal; by default
    // it would end the JVM
    try {
      Signal.handle(new Signal("HUP"), signal -> reload(tls));
    } catch (IllegalArgumentException e) {
      io.err()
          .println(
              "cfgctl serve: cannot handle SIGHUP ("
                  + e.getMessage()
                  + "); the TLS files"
                  + " will not be reloaded");
    }
    Thread hook = new Thread(stop, "cfgctl-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    io.err()
        .println(
            "cfgctl serve: listening on "
                + (tls != null ? "https" : "http")
                + "://"
                + (host.contains(":") ? "[" + host + "]" : host)
                + ":"
                + server.port()
                + " (store: "
                + (db != null ? Secrets.redact(db) : dir.resolve("cfgctl.db"))
                + ")");
    if (tls != null) {
      io.err().println("cfgctl serve: TLS certificate: " + tls.describe());
      String warning = tls.validityWarning(io.clock().instant());
      if (warning != null) io.err().println("cfgctl serve: warning: " + warning);
    }
    if (admin.isPresent()) {
      io.err()
          .println(
              "cfgctl serve: first start: admin token written to " + dir.resolve("admin.token"));
    }
    io.err().flush();
    stopRequested.await();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      return ExitCode.OK; // the JVM is ending anyway (System.exit, …): the hook stops the server
    }
    stop.run();
    return ExitCode.OK;
  }

  /** The certificate and key of --tls-cert and --tls-key, checked; null without them. */
  private ServerTls tls() {
    if (tlsCert == null && tlsKey == null) return null;
    if (tlsCert == null || tlsKey == null) {
      throw CliException.usage(
          "--tls-cert and --tls-key go together",
          "pass both: the PEM certificate chain and its private key");
    }
    return TlsFiles.load(tlsCert, tlsKey);
  }

  /** SIGHUP: the TLS files again; a failure keeps the certificate in service and says why. */
  private void reload(ServerTls tls) {
    if (tls == null) {
      io.err().println("cfgctl serve: SIGHUP: nothing to reload (no --tls-cert)");
    } else {
      TlsFiles.reload(tls, io.err(), io.clock());
    }
    io.err().flush();
  }

  /**
   * The catch clauses for the PEM exception, kept out of the command's class: every command line (a
   * {@code diff} too) builds the command tree, which verifies this class's methods, and that loads
   * the types their catch clauses name.
   */
  private static final class TlsFiles {
    static ServerTls load(Path cert, Path key) {
      try {
        return ServerTls.load(cert, key);
      } catch (PemException e) {
        throw CliException.usage(e.getMessage(), e.hint());
      }
    }

    static void reload(ServerTls tls, PrintStream err, Clock clock) {
      try {
        err.println("cfgctl serve: SIGHUP: TLS certificate reloaded: " + tls.reload());
        String warning = tls.validityWarning(clock.instant());
        if (warning != null) err.println("cfgctl serve: warning: " + warning);
      } catch (PemException e) {
        err.println(
            "cfgctl serve: SIGHUP: TLS reload failed, still serving the old certificate: "
                + e.getMessage()
                + (e.hint() == null ? "" : "; " + e.hint()));
      } catch (RuntimeException e) {
        err.println(
            "cfgctl serve: SIGHUP: TLS reload failed, still serving the old certificate: " + e);
      }
    }
  }

  public static Path defaultDataDir(Io io) {
    return BaseDirs.of(io.env()).data();
  }

  private static void writeAdminToken(Path dir, String secret) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("admin.token");
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(file, (secret + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE);
  }

  /** A rate as its option's default: no ".0" for whole numbers. */
  private static String rate(double perSecond) {
    return perSecond == Math.rint(perSecond)
        ? Long.toString((long) perSecond)
        : Double.toString(perSecond);
  }

  private static String versionString() {
    String v = ServeCommand.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }
}
