package dev.cfgctl.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "cfgctl",
    mixinStandardHelpOptions = true,
    versionProvider = TopCommand.Version.class,
    header = "Patch, diff, validate and serve versioned JSON configuration documents.",
    description = "Files are operands; - means standard input. Exit codes are the same for every"
        + " command, listed below.",
    subcommands = {
      DiffCommand.class,
      PatchCommand.class,
      ValidateCommand.class,
      ServeCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # What changed between two configs?",
      "  cfgctl diff -o text landing.json landing.new.json",
      "",
      "  # Apply a patch in place, all or nothing",
      "  cfgctl patch --in-place landing.json change.json",
      "",
      "Run 'cfgctl COMMAND --help' for the options of a command."
    })
public final class TopCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private final Io io;

  public TopCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(io.err());
    return ExitCode.USAGE;
  }

  /** The version from the jar's manifest, with the Java it runs on. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TopCommand.class.getPackage().getImplementationVersion();
      return new String[] {
        "cfgctl " + (v == null ? "(development build)" : v),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
      };
    }
  }
}
