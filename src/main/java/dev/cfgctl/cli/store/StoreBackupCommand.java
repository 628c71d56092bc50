package dev.cfgctl.cli.store;

import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.FormatOption;
import dev.cfgctl.output.Format;
import dev.cfgctl.output.TextPrinter;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.jdbc.SqliteBackup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cfgctl store backup FILE}: an online snapshot of the embedded store. */
public final class StoreBackupCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<StoreBackupCommand> m =
        CommandModel.command("backup", StoreBackupCommand.class, () -> new StoreBackupCommand(io))
            .header("Back up the embedded store to a file, online.")
            .description(
                "Writes a consistent snapshot of the embedded SQLite store (SQLite's VACUUM"
                    + " INTO), also while a cfgctl serve writes to it: it neither waits for the server nor"
                    + " holds it up. The file is owner-only, written under a temporary name, checked, and"
                    + " renamed into place only when complete. If FILE is a directory the backup is"
                    + " DIR/cfgctl.db, which --store DIR opens; any backup is a store that cfgctl serve"
                    + " --db jdbc:sqlite:FILE and cfgctl store copy --from FILE open.")
            .examples(
                "Back up the default store (~/.local/share/cfgctl), server running or not",
                "cfgctl store backup /backups/cfgctl.db --force",
                "Into a directory, then look at the backup like any store",
                "cfgctl store backup /backups/today/ && cfgctl list --store /backups/today");
    CommonOptions.addTo(m.mixin(c -> c.common));
    FormatOption.addTo(m.mixin(c -> c.output));
    m.operand("FILE", "The backup to write (a directory: DIR/cfgctl.db).", (c, v) -> c.file = v);
    m.option(
        "--store",
        "DIR",
        "The embedded store to back up: its directory or file (default: the"
            + " context's, else $XDG_DATA_HOME/cfgctl).",
        (c, v) -> c.store = v);
    m.flag("--force", "Replace FILE if it exists.", (c, v) -> c.force = v);
    return m.spec();
  }

  final CommonOptions common = new CommonOptions();
  final FormatOption output = new FormatOption();
  String file;
  String store;
  boolean force;

  private final Io io;

  StoreBackupCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    common.check();
    boolean json = output.json("text");
    StoreLocation from = StoreLocation.local(io, store);
    if (from.file() == null) {
      throw CliException.usage(
          "store backup backs up an embedded (SQLite) store, not " + from.shown(),
          "back up PostgreSQL with pg_dump, or copy it with: cfgctl store copy");
    }
    Path target = Path.of(file);
    if (Files.isDirectory(target)) target = target.resolve("cfgctl.db");
    SqliteBackup.Result r;
    try {
      r = SqliteBackup.backup(from.file(), target, force);
    } catch (StoreException e) {
      if (e.problem() == Problem.ALREADY_EXISTS) {
        // as token create --secret-file and patch -o FILE: the command line has to change (2)
        throw CliException.usage(e.getMessage(), "choose another file, or replace it with --force");
      }
      if (e.problem() == Problem.NOT_FOUND) {
        throw new CliException(ExitCode.NOT_FOUND, e.getMessage());
      }
      throw new CliException(
          ExitCode.UNAVAILABLE,
          e.getMessage(),
          "check the directory of " + target + " (writable, space left) and the store");
    }
    StoreBackedUp backedUp = new StoreBackedUp(r, from.shown());
    if (json) {
      output.printer(io, common, Format.TEXT).print(backedUp);
    } else {
      // for people watching: on stderr, as stdout carries data only
      new TextPrinter(io.err(), false).print(backedUp);
    }
    return ExitCode.OK;
  }
}
