package dev.cfgctl.cli.lock;

import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.Group;
import dev.cfgctl.cli.Io;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cfgctl lock acquire|extend|release|status|list|exec}: edit locks on stored configs. */
public final class LockCommand {
  private LockCommand() {}

  public static CommandSpec model(Io io) {
    CommandSpec spec =
        CommandModel.command("lock", Group.class, s -> new Group(io, s))
            .header("Take, keep, release and inspect edit locks on configs.")
            .description(
                "While someone holds a config's lock, writes without its id are refused (exit 4)."
                    + " Locks expire by the server's clock unless extended (heartbeat). Support"
                    + " staff find stale locks with 'lock list --stale 10m' and clear them with"
                    + " 'lock release --force'.")
            .examples(
                "Hold the lock while a script runs (heartbeat, release, exit code passed on)",
                "cfgctl lock exec acme/landing -- ./migrate-landing.sh",
                "Who holds what, and which holders went quiet?",
                "cfgctl lock list --tenant acme --stale 10m",
                "Clear a stale lock (admins)",
                "cfgctl lock release acme/landing --force --reason \"sarah's laptop died\"")
            .spec();
    spec.addSubcommand("acquire", LockAcquireCommand.model(io));
    spec.addSubcommand("extend", LockExtendCommand.model(io));
    spec.addSubcommand("release", LockReleaseCommand.model(io));
    spec.addSubcommand("status", LockStatusCommand.model(io));
    spec.addSubcommand("list", LockListCommand.model(io));
    spec.addSubcommand("exec", LockExecCommand.model(io));
    return spec;
  }
}
