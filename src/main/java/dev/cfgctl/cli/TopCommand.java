package dev.cfgctl.cli;

import dev.cfgctl.cli.config.DeleteCommand;
import dev.cfgctl.cli.config.GetCommand;
import dev.cfgctl.cli.config.HistoryCommand;
import dev.cfgctl.cli.config.ListCommand;
import dev.cfgctl.cli.config.MigrateCommand;
import dev.cfgctl.cli.config.RollbackCommand;
import dev.cfgctl.cli.config.SaveCommand;
import dev.cfgctl.cli.config.ShowCommand;
import dev.cfgctl.cli.config.UndoCommand;
import dev.cfgctl.cli.config.WatchCommand;
import dev.cfgctl.cli.context.ContextCommand;
import dev.cfgctl.cli.file.DiffCommand;
import dev.cfgctl.cli.file.PatchCommand;
import dev.cfgctl.cli.file.ValidateCommand;
import dev.cfgctl.cli.lock.LockCommand;
import dev.cfgctl.cli.lock.LockStatusCommand;
import dev.cfgctl.cli.store.StoreCommand;
import dev.cfgctl.cli.token.TokenCommand;
import java.lang.reflect.Field;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code cfgctl} itself, and the tree of its commands. */
public final class TopCommand {
  /** The whole command tree; each command object is made only when its command line runs. */
  public static CommandSpec model(Io io) {
    CommandModel<Group> m =
        CommandModel.command("cfgctl", Group.class, s -> new Group(io, s))
            .header("Patch, diff, validate and serve versioned JSON configuration documents.")
            .description(
                "Files are operands; - means standard input. Exit codes are the same for every"
                    + " command, listed below.")
            .examples(
                "What changed between two configs?",
                "cfgctl diff -o text landing.json landing.new.json",
                "Apply a patch in place, all or nothing",
                "cfgctl patch --in-place landing.json change.json",
                "Once, with another context than the current one",
                "cfgctl --context prod get acme/landing")
            .footer("", "Run 'cfgctl COMMAND --help' for the options of a command.");
    // kubectl's global --context; it only sets what CFGCTL_CONTEXT would, in this run's
    // environment,
    // so a command's own --context beats it as it beats the variable
    m.option(
            "--context",
            "NAME",
            "Use this context instead of the current one (as CFGCTL_CONTEXT does;"
                + " a command's own --context beats it).",
            (c, v) -> io.env().put("CFGCTL_CONTEXT", v))
        .completionCandidates(Candidates.CONTEXTS);
    CommandSpec spec = m.spec().versionProvider(new Version());
    spec.addSubcommand("diff", DiffCommand.model(io));
    spec.addSubcommand("patch", PatchCommand.model(io));
    spec.addSubcommand("validate", ValidateCommand.model(io));
    spec.addSubcommand("get", GetCommand.model(io));
    spec.addSubcommand("save", SaveCommand.model(io));
    spec.addSubcommand("delete", DeleteCommand.model(io));
    spec.addSubcommand("list", ListCommand.model(io));
    spec.addSubcommand("history", HistoryCommand.model(io));
    spec.addSubcommand("show", ShowCommand.model(io));
    spec.addSubcommand("watch", WatchCommand.model(io));
    spec.addSubcommand("who", LockStatusCommand.whoModel(io));
    spec.addSubcommand("undo", UndoCommand.undoModel(io));
    spec.addSubcommand("redo", UndoCommand.redoModel(io));
    spec.addSubcommand("rollback", RollbackCommand.model(io));
    spec.addSubcommand("migrate", MigrateCommand.model(io));
    spec.addSubcommand("lock", LockCommand.model(io));
    spec.addSubcommand("token", TokenCommand.model(io));
    spec.addSubcommand("context", ContextCommand.model(io));
    spec.addSubcommand("store", StoreCommand.model(io));
    spec.addSubcommand("serve", ServeCommand.model(io));
    spec.addSubcommand("completion", CompletionCommand.model(io));
    spec.addSubcommand("__complete", CompleteCommand.model(io));
    spec.addSubcommand("help", helpCommand());
    return spec;
  }

  private TopCommand() {}

  /**
   * {@code cfgctl help [COMMAND]}: picocli's own help command, whose model picocli would read from
   * its annotations. It stays picocli's class because the completion script generator treats it
   * specially (it completes the names of the other commands).
   */
  private static CommandSpec helpCommand() {
    CommandModel<CommandLine.HelpCommand> m =
        CommandModel.command("help", CommandLine.HelpCommand.class, CommandLine.HelpCommand::new)
            .header("Display help information about the specified command.")
            .description(
                "%nWhen no COMMAND is given, the usage help for the main command is displayed.",
                "If a COMMAND is specified, the help for that command is shown.%n");
    m.spec().helpCommand(true).usageMessage().synopsisHeading("%nUsage: ");
    m.spec()
        .addOption(
            OptionSpec.builder("-h", "--help")
                .usageHelp(true)
                .type(boolean.class)
                .initialValue(false)
                .descriptionKey("helpCommand.help")
                .description("Show usage help for the help command and exit.")
                .build());
    m.operand(
            "COMMAND",
            "The COMMAND to display the usage help message for.",
            TopCommand::setHelpTopic)
        .arity("0..1")
        .descriptionKey("helpCommand.command");
    return m.spec();
  }

  /**
   * HelpCommand keeps its operand in a private field, which only its annotations reach otherwise.
   */
  private static void setHelpTopic(CommandLine.HelpCommand help, String command) {
    try {
      Field topic = CommandLine.HelpCommand.class.getDeclaredField("commands");
      topic.setAccessible(true);
      topic.set(help, command);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("picocli's HelpCommand has no field 'commands' any more", e);
    }
  }

  /** The version from the jar's manifest, with the Java it runs on. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TopCommand.class.getPackage().getImplementationVersion();
      return new String[] {
        "cfgctl " + (v == null ? "(development build)" : v),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")"
      };
    }
  }
}
