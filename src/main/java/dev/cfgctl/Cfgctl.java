package dev.cfgctl;

import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ErrorHandler;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.TopCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import picocli.CommandLine;

/** The cfgctl command line: {@link #main} is the only place that exits the process. */
public final class Cfgctl {
  private Cfgctl() {}

  public static void main(String[] args) {
    System.exit(run(System.in, System.out, System.err, args));
  }

  /** Runs one command line with the given streams and returns its exit code. */
  public static int run(InputStream in, PrintStream out, PrintStream err, String... args) {
    boolean outTty = terminal("cfgctl.stdout.tty");
    boolean errTty = terminal("cfgctl.stderr.tty");
    return run(new Io(in, out, err, outTty, errTty, System.getenv()), args);
  }

  public static int run(Io caller, String... args) {
    // this run's own copy of the environment: cfgctl --context NAME sets CFGCTL_CONTEXT in it
    Io io = caller.withEnv(new HashMap<>(caller.env()));
    ErrorHandler errors = new ErrorHandler(io.err(), io.clock());
    try {
      int code = commandLine(io, errors).execute(args);
      io.out().flush();
      if (io.out().checkError()) {
        // PrintStream swallows write errors: a full disk or a closed pipe must not look like
        // success.
        // A pipe's reader that went away (| head) is no error to tell anyone about, as for git.
        if (io.out() == System.out && stdoutIsPipe()) return ExitCode.PIPE_CLOSED;
        io.err().println("cfgctl: cannot write the output (disk full, or the reading end closed)");
        return ExitCode.USAGE;
      }
      return code;
    } catch (Throwable e) { // picocli hands only Exceptions to the handler; Errors arrive here
      return errors.report(e, List.of(args).contains("--verbose") || List.of(args).contains("-v"));
    }
  }

  /** Whether this process's stdout is a pipe or socket (Linux: its /proc link says so). */
  private static boolean stdoutIsPipe() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
      return target.startsWith("pipe:") || target.startsWith("socket:");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** The whole command tree, wired to {@code io}; also the model for completions and man pages. */
  public static CommandLine commandLine(Io io) {
    return commandLine(io, new ErrorHandler(io.err(), io.clock()));
  }

  private static CommandLine commandLine(Io io, ErrorHandler errors) {
    CommandLine cmd =
        new CommandLine(TopCommand.model(io))
            .setOut(new java.io.PrintWriter(io.out(), true))
            .setErr(new java.io.PrintWriter(io.err(), true))
            .setExecutionExceptionHandler(errors)
            .setParameterExceptionHandler(
                (e, args) -> errors.handleParseException(CommandModel.plainMessage(e), args))
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setUsageHelpAutoWidth(true);
    everywhere(cmd, cmd.getCommandSpec().versionProvider());
    return cmd;
  }

  /** --help, --version and the exit code table on every command, set in this one place. */
  private static void everywhere(CommandLine cmd, CommandLine.IVersionProvider version) {
    CommandLine.Model.CommandSpec spec = cmd.getCommandSpec();
    if (spec.helpCommand()) return; // `help CMD` = `CMD --help`
    CommandModel.addStandardHelpOptions(spec);
    spec.versionProvider(version);
    spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.TABLE);
    for (CommandLine sub : cmd.getSubcommands().values()) everywhere(sub, version);
  }

  /**
   * Whether a stream is a terminal. The launcher knows for sure ({@code [ -t 1 ]}) and says so in a
   * system property; without it, fall back to the JDK's console, which on JDK 22+ must be asked
   * {@code isTerminal()} because it exists even when redirected.
   */
  private static boolean terminal(String property) {
    String v = System.getProperty(property);
    if (v != null) return v.equals("1") || v.equals("true");
    java.io.Console c = System.console();
    if (c == null) return false;
    try {
      Method m = java.io.Console.class.getMethod("isTerminal");
      return (Boolean) m.invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
