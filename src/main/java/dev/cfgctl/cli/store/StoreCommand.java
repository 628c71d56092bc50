package dev.cfgctl.cli.store;

import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.Group;
import dev.cfgctl.cli.Io;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cfgctl store backup|copy}: the store itself, for operators. */
public final class StoreCommand {
  private StoreCommand() {}

  public static CommandSpec model(Io io) {
    CommandSpec spec =
        CommandModel.command("store", Group.class, s -> new Group(io, s))
            .header("Back up the embedded store, or copy every config to another store.")
            .description(
                "A STORE is an embedded store's directory (its cfgctl.db), a SQLite file"
                    + " (a path or jdbc:sqlite:FILE) or a PostgreSQL database (jdbc:postgresql://…).")
            .examples(
                "Back up the embedded store while a server runs on it",
                "cfgctl store backup /backups/cfgctl.db",
                "Move every config with its history to PostgreSQL",
                "cfgctl store copy --from ./data --to jdbc:postgresql://db/cfgctl")
            .spec();
    spec.addSubcommand("backup", StoreBackupCommand.model(io));
    spec.addSubcommand("copy", StoreCopyCommand.model(io));
    return spec;
  }
}
