package dev.cfgctl.cli;

import dev.cfgctl.server.ConfigServer;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.Token;
import dev.cfgctl.store.jdbc.JdbcConfigStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    header = "Run the config API server.",
    description = {
      "Serve the config API (versioned configs, history, undo, edit locks, tokens) over HTTP,"
          + " on the embedded SQLite store in --data-dir or on a database named by --db"
          + " (jdbc:postgresql://… lets several servers share one database).",
      "On first start it creates an admin token and writes it to DATA-DIR/admin.token (owner-only)."
          + " SIGTERM or Ctrl-C stops it gracefully: requests in flight, writes included, finish first."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # Serve the local store on port 8080, then use it",
      "  cfgctl serve --listen 127.0.0.1:8080 &",
      "  curl -H \"Authorization: Bearer $(cat ~/.local/share/cfgctl/admin.token)\" \\",
      "       http://127.0.0.1:8080/v1/tenants/acme/configs",
      "",
      "  # A node of a shared deployment",
      "  cfgctl serve --listen 0.0.0.0:8080 --db 'jdbc:postgresql://db/cfgctl?user=cfgctl'"
          + " --data-dir /var/lib/cfgctl"
    })
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
      description = "Address to listen on (port 0 picks a free one). Default: ${DEFAULT-VALUE}.")
  String listen;

  @Option(names = "--db", paramLabel = "JDBC-URL",
      description = "The database: jdbc:postgresql://HOST/DB?user=… or jdbc:sqlite:FILE."
          + " Default: the SQLite file cfgctl.db in the data directory.")
  String db;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where the embedded store and admin.token live."
          + " Default: $XDG_DATA_HOME/cfgctl (~/.local/share/cfgctl).")
  Path dataDir;

  @Option(names = "--max-body-bytes", paramLabel = "N", defaultValue = "5242880",
      description = "Largest request body accepted (413 beyond). Default: ${DEFAULT-VALUE}.")
  long maxBody;

  @Option(names = "--max-depth", paramLabel = "N", defaultValue = "200",
      description = "Deepest JSON nesting accepted (400 beyond). Default: ${DEFAULT-VALUE}.")
  int maxDepth;

  @Option(names = "--max-ops", paramLabel = "N", defaultValue = "10000",
      description = "Most operations in one patch (400 beyond). Default: ${DEFAULT-VALUE}.")
  int maxOps;

  @Option(names = "--retention", paramLabel = "N", defaultValue = "1000",
      description = "Revisions kept per config, at least. Default: ${DEFAULT-VALUE}.")
  int retention;

  @Option(names = "--lock-ttl", paramLabel = "SECONDS", defaultValue = "300",
      description = "Default lock TTL. Default: ${DEFAULT-VALUE}.")
  long lockTtl;

  @Option(names = "--lock-ttl-min", paramLabel = "SECONDS", defaultValue = "5",
      description = "Shortest lock TTL a client may ask for. Default: ${DEFAULT-VALUE}.")
  long lockTtlMin;

  @Option(names = "--lock-ttl-max", paramLabel = "SECONDS", defaultValue = "3600",
      description = "Longest lock TTL a client may ask for. Default: ${DEFAULT-VALUE}.")
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
      throw CliException.usage("--listen takes HOST:PORT, not " + listen, "e.g. --listen 127.0.0.1:8080");
    }
    String host = listen.substring(0, colon).replaceAll("^\\[|\\]$", "");
    if (maxBody < 1 || maxDepth < 1 || maxDepth > 1000 || maxOps < 1 || retention < 1) {
      throw CliException.usage("limits must be positive (and --max-depth at most 1000)", null);
    }
    JdbcConfigStore.Options options;
    try {
      options = new JdbcConfigStore.Options(retention, lockTtlMin, lockTtlMax, lockTtl, 100);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("lock TTLs must satisfy 1 <= --lock-ttl-min <= --lock-ttl <="
          + " --lock-ttl-max", null);
    }
    Path dir = dataDir != null ? dataDir : defaultDataDir(io);
    JdbcConfigStore store;
    try {
      store = db != null ? JdbcConfigStore.open(db, options, Clock.systemUTC())
          : JdbcConfigStore.sqlite(dir.resolve("cfgctl.db"), options, Clock.systemUTC());
    } catch (StoreException e) {
      throw new CliException(ExitCode.UNAVAILABLE, e.getMessage(),
          db == null ? "check that " + dir + " is writable" : "check that the database is running");
    }
    Optional<Token.Issued> admin = store.bootstrapAdmin();
    if (admin.isPresent()) writeAdminToken(dir, admin.get().secret());
    ConfigServer server = new ConfigServer(store, maxBody, maxDepth, maxOps, Clock.systemUTC(),
        io.err(), versionString());
    try {
      server.start(host, port);
    } catch (RuntimeException e) {
      store.close();
      throw new CliException(ExitCode.UNAVAILABLE, "cannot listen on " + listen + ": "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
          "is another server using that port? --listen 127.0.0.1:0 picks a free one");
    }
    // expired locks are dead at once; this only writes their expiry to the audit trail promptly
    java.util.concurrent.ScheduledExecutorService sweeper =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "cfgctl-lock-sweeper");
          t.setDaemon(true);
          return t;
        });
    sweeper.scheduleWithFixedDelay(() -> {
      try {
        store.sweepExpiredLocks();
      } catch (RuntimeException e) {
        io.err().println("cfgctl serve: lock sweep failed: " + e.getMessage());
      }
    }, 5, 5, java.util.concurrent.TimeUnit.SECONDS);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      io.err().println("cfgctl serve: stopping (finishing requests in flight)");
      sweeper.shutdownNow();
      server.stop(30_000);
      store.close();
      stopped.countDown();
    }, "cfgctl-shutdown"));
    io.err().println("cfgctl serve: listening on http://" + (host.contains(":") ? "[" + host + "]" : host)
        + ":" + server.port() + " (store: " + (db != null ? db.replaceAll("password=[^&]*", "password=…")
        : dir.resolve("cfgctl.db")) + ")");
    if (admin.isPresent()) {
      io.err().println("cfgctl serve: first start: admin token written to " + dir.resolve("admin.token"));
    }
    io.err().flush();
    stopped.await();
    return ExitCode.OK;
  }

  static Path defaultDataDir(Io io) {
    String xdg = io.env().get("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("cfgctl");
  }

  private static void writeAdminToken(Path dir, String secret) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("admin.token");
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    Files.write(file, (secret + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE);
  }

  private static String versionString() {
    String v = ServeCommand.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }
}
