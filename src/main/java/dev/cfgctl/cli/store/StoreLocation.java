package dev.cfgctl.cli.store;

import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.ServeCommand;
import dev.cfgctl.cli.context.Contexts;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.Tunables;
import dev.cfgctl.store.jdbc.JdbcConfigRepository;
import dev.cfgctl.store.jdbc.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A store named on the command line: a SQLite file (an embedded store's directory names its
 * cfgctl.db) or a JDBC URL. {@code shown} is fit to print: a password in a URL is masked.
 */
record StoreLocation(String url, Path file, String shown) {
  /** Parses {@code text}; a SQLite store that {@code mustExist} is refused when missing. */
  static StoreLocation parse(String text, boolean mustExist, String option) {
    StoreLocation l;
    if (text.startsWith("jdbc:postgresql:")) {
      l = new StoreLocation(text, null, Secrets.redact(text));
    } else if (text.startsWith("jdbc:sqlite:")) {
      l = sqlite(Path.of(text.substring("jdbc:sqlite:".length())));
    } else if (text.startsWith("jdbc:")) {
      throw CliException.usage(
          option
              + " takes a directory, a SQLite file, jdbc:sqlite:FILE or"
              + " jdbc:postgresql://…, not "
              + Secrets.redact(text),
          null);
    } else {
      Path p = Path.of(text);
      l = sqlite(Files.isRegularFile(p) ? p : p.resolve("cfgctl.db"));
    }
    if (mustExist && l.file != null && !Files.isRegularFile(l.file)) {
      throw new CliException(
          ExitCode.NOT_FOUND,
          "there is no store at " + l.file,
          "name a store's directory (such as ~/.local/share/cfgctl), its file, or a JDBC URL");
    }
    return l;
  }

  private static StoreLocation sqlite(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    return new StoreLocation("jdbc:sqlite:" + abs, abs, abs.toString());
  }

  /** Opens the store, bringing its schema up to date. */
  JdbcConfigRepository open(Io io) {
    try {
      return io.stores().repository(url, Tunables.DEFAULT, io.clock());
    } catch (StoreException e) {
      int code = ExitCode.of(e.problem()); // 2 for a malformed URL, 7 for a database out of reach
      throw new CliException(
          code,
          "cannot open " + shown + ": " + Secrets.redact(e.getMessage()),
          code != ExitCode.UNAVAILABLE
              ? null
              : file != null
                  ? "check that " + file.getParent() + " is writable"
                  : "check that the database is running and the URL's user may use it");
    }
  }

  boolean sameAs(StoreLocation other) {
    if (file == null || other.file == null) return url.equals(other.url);
    try {
      return file.equals(other.file)
          || (Files.exists(file) && Files.exists(other.file) && Files.isSameFile(file, other.file));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** The embedded store the command line names: --store, else the context's, else the default. */
  static StoreLocation local(Io io, String store) {
    if (store != null) return parse(store, true, "--store");
    String name = io.env().get("CFGCTL_CONTEXT");
    Contexts.Context ctx = Contexts.load(io).get(name == null || name.isEmpty() ? null : name);
    String dir =
        ctx != null && ctx.store() != null
            ? ctx.store()
            : ServeCommand.defaultDataDir(io).toString();
    return parse(dir, true, "--store");
  }
}
