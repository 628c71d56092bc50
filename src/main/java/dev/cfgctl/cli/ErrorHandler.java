package dev.cfgctl.cli;

import dev.cfgctl.patch.InvalidPatchException;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonInputException;
import dev.cfgctl.patch.PatchFailedException;
import dev.cfgctl.store.StoreException;
import java.io.PrintStream;
import java.time.Instant;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line {@code cfgctl: what happened}, an optional {@code hint:} line and
 * an exit code. Stack traces only with --verbose, and for bugs.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
  private final PrintStream err;

  public ErrorHandler(PrintStream err) {
    this.err = err;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String message = e.getMessage();
    if (e instanceof CommandLine.UnmatchedArgumentException && !cmd.getSubcommands().isEmpty()
        && ((CommandLine.UnmatchedArgumentException) e).getUnmatched().size() > 0) {
      String first = ((CommandLine.UnmatchedArgumentException) e).getUnmatched().get(0);
      if (!first.startsWith("-")) message = "unknown command '" + first + "'";
    } else if (e instanceof CommandLine.UnmatchedArgumentException
        && !((CommandLine.UnmatchedArgumentException) e).getUnmatched().isEmpty()) {
      String first = ((CommandLine.UnmatchedArgumentException) e).getUnmatched().get(0);
      if (!first.startsWith("-")) message = "unexpected operand '" + first + "'";
    }
    if (message.length() > 1 && Character.isUpperCase(message.charAt(0))
        && Character.isLowerCase(message.charAt(1))) {
      message = Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
    err.println("cfgctl: " + Printable.of(message));
    String name = cmd.getCommandSpec().qualifiedName();
    err.println("hint: run '" + name + " --help' for usage");
    return ExitCode.USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    boolean verbose = parsed.hasMatchedOption("--verbose")
        || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose"));
    ParseResult deepest = parsed;
    while (deepest.subcommand() != null) deepest = deepest.subcommand();
    if (e instanceof StoreException && "json".equals(deepest.matchedOptionValue("-o", null)) && !verbose) {
      // -o json: scripts get the problem object (one line on stderr; stdout carries data only)
      err.println(Json.compact(((StoreException) e).toProblemJson()));
      return ((StoreException) e).problem().exitCode();
    }
    return report(e, verbose);
  }

  /** Prints {@code e} as one line (plus a hint) and returns its exit code. */
  public int report(Throwable e, boolean verbose) {
    CliException error = translate(e);
    err.println("cfgctl: " + Printable.of(error.getMessage()));
    if (error.hint() != null) err.println("hint: " + Printable.of(error.hint()));
    if (verbose) e.printStackTrace(err);
    return error.exitCode();
  }

  static CliException translate(Throwable e) {
    if (e instanceof CliException) return (CliException) e;
    if (e instanceof StoreException) return StoreErrors.translate((StoreException) e, Instant.now());
    if (e instanceof JsonInputException || e instanceof InvalidPatchException) {
      return CliException.usage(e.getMessage(), null);
    }
    if (e instanceof PatchFailedException) {
      return new CliException(ExitCode.NEGATIVE, "patch does not apply: " + e.getMessage());
    }
    if (e instanceof StackOverflowError) {
      return CliException.usage("input nested too deeply to process", "lower --max-depth");
    }
    if (e instanceof OutOfMemoryError) {
      return new CliException(ExitCode.INTERNAL, "out of memory",
          "give the JVM more heap, e.g. CFGCTL_JAVA_OPTS=-Xmx4g");
    }
    return new CliException(ExitCode.INTERNAL,
        "internal error (this is a bug in cfgctl, please report it): " + e,
        "run again with --verbose for the stack trace to include in the report");
  }
}
