package dev.cfgctl.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.api.ProblemJson;
import dev.cfgctl.client.UnreachableException;
import dev.cfgctl.output.Format;
import dev.cfgctl.output.JsonWriter;
import dev.cfgctl.output.Printable;
import dev.cfgctl.patch.InvalidPatchException;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonInputException;
import dev.cfgctl.patch.PatchFailedException;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line {@code cfgctl: what happened}, an optional {@code hint:} line
 * and an exit code; with {@code -o json}, into one problem object (RFC 9457) on one line instead.
 * Stack traces only with --verbose, and for bugs.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
  /** The problem types of the command line's own failures, by exit code, with their titles. */
  private static final Map<Integer, String[]> BY_EXIT_CODE =
      Map.of(
          ExitCode.NEGATIVE, new String[] {"failed", "Check failed"},
          ExitCode.USAGE, new String[] {"usage", "Usage error"},
          ExitCode.CONFLICT, new String[] {"conflict", "Conflict"},
          ExitCode.LOCKED, new String[] {"locked", "Locked"},
          ExitCode.DENIED, new String[] {"denied", "Not allowed"},
          ExitCode.NOT_FOUND, new String[] {"not-found", "Not found"},
          ExitCode.UNAVAILABLE, new String[] {"unavailable", "Unavailable"},
          ExitCode.INTERNAL, new String[] {"internal", "Internal error"});

  private final PrintStream err;

  /** The run's clock: "2m ago" and "expires in" in refusals are measured from it. */
  private final Clock clock;

  /** Problem objects of -o json(l): one compact JSON value per line on stderr. */
  private final JsonWriter problems;

  public ErrorHandler(PrintStream err, Clock clock) {
    this.err = err;
    this.clock = clock;
    this.problems = new JsonWriter(err, false);
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String message = e.getMessage();
    String name = cmd.getCommandSpec().qualifiedName();
    String hint = "run '" + name + " --help' for usage";
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      if (first.startsWith("-")) {
        // picocli counts the value after a mistyped option as one (--limt 3: '--limt', '3')
        List<String> unknown = new ArrayList<>();
        for (String a : u.getUnmatched())
          if (a.startsWith("-") && a.length() > 1) unknown.add("'" + a + "'");
        message =
            (unknown.size() == 1 ? "unknown option: " : "unknown options: ")
                + String.join(", ", unknown);
        String option = first.split("=", 2)[0];
        // -x is too short to guess from
        List<String> similar =
            strip(option).length() < 3
                ? List.of()
                : similar(option, optionNames(cmd.getCommandSpec()));
        if (!similar.isEmpty()) hint = "did you mean " + String.join(" or ", similar) + "?";
      } else if (!cmd.getSubcommands().isEmpty()) {
        message = "unknown command '" + first + "'";
        List<String> similar = similar(first, commandNames(cmd));
        if (!similar.isEmpty()) {
          List<String> quoted = new ArrayList<>();
          for (String s : similar) quoted.add("'" + name + " " + s + "'");
          hint = "did you mean " + String.join(" or ", quoted) + "?";
        }
      } else {
        message = "unexpected operand '" + first + "'";
      }
    } else if (e instanceof CommandLine.MissingParameterException) {
      // validate --shema=s.json: picocli misses --schema before it minds --shema
      for (String a : args) {
        if (a.equals("--")) break;
        String option = a.split("=", 2)[0];
        if (!option.startsWith("-")
            || strip(option).length() < 3
            || cmd.getCommandSpec().findOption(option) != null) {
          continue;
        }
        List<String> similar = similar(option, optionNames(cmd.getCommandSpec()));
        if (!similar.isEmpty()) {
          hint = "did you mean " + String.join(" or ", similar) + " instead of " + option + "?";
          break;
        }
      }
    }
    if (message.length() > 1
        && Character.isUpperCase(message.charAt(0))
        && Character.isLowerCase(message.charAt(1))) {
      message = Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
    if (jsonAskedFor(args)) {
      problems.write(problem(CliException.usage(message, hint)));
    } else {
      err.println("cfgctl: " + Printable.of(message));
      err.println("hint: " + Printable.of(hint));
    }
    return ExitCode.USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    boolean verbose =
        parsed.hasMatchedOption("--verbose")
            || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose"));
    ParseResult deepest = parsed;
    while (deepest.subcommand() != null) deepest = deepest.subcommand();
    boolean canRebase = deepest.commandSpec().findOption("--rebase") != null;
    Object output = deepest.matchedOptionValue("-o", null);
    boolean json =
        output == Format.JSON
            || output == Format.JSONL // patch's -o is a string
            || "json".equals(output)
            || "jsonl".equals(output);
    if (json && !verbose) {
      // -o json: scripts get a problem object (one line on stderr; stdout carries data only)
      problems.write(problem(e));
      return translate(e, canRebase).exitCode();
    }
    return report(e, verbose, canRebase);
  }

  /** Prints {@code e} as one line (plus a hint) and returns its exit code. */
  public int report(Throwable e, boolean verbose) {
    return report(e, verbose, true);
  }

  private int report(Throwable e, boolean verbose, boolean canRebase) {
    CliException error = translate(e, canRebase);
    err.println("cfgctl: " + Printable.of(error.getMessage()));
    if (error.hint() != null) err.println("hint: " + Printable.of(error.hint()));
    if (verbose) e.printStackTrace(err);
    return error.exitCode();
  }

  /**
   * The problem object of a failure: a store's own (what the server sent, or would have sent, with
   * its HTTP status), or for the command line's own failures one with a type and title but no
   * {@code status}, since no HTTP exchange was involved.
   */
  private ObjectNode problem(Throwable e) {
    if (e instanceof UnreachableException u) return u.toProblemJson();
    if (e instanceof StoreException s) return ProblemJson.encode(s);
    CliException c = translate(e, true);
    String slug = c.problem();
    String title;
    if (slug == null) {
      String[] byCode =
          BY_EXIT_CODE.getOrDefault(c.exitCode(), BY_EXIT_CODE.get(ExitCode.INTERNAL));
      slug = byCode[0];
      title = byCode[1];
    } else {
      Problem known = Problem.ofSlug(slug);
      title = known != null ? known.title() : TITLES.getOrDefault(slug, slug);
    }
    ObjectNode o = Json.NODES.objectNode();
    o.put("type", "/problems/" + slug).put("title", title).put("detail", c.getMessage());
    return o;
  }

  /** Titles of the command line's problem slugs that are no server problem. */
  private static final Map<String, String> TITLES =
      Map.of("schema-mismatch", "Does not match the schema");

  private CliException translate(Throwable e, boolean canRebase) {
    if (e instanceof CliException) return (CliException) e;
    if (e instanceof StoreException) {
      return StoreErrors.translate((StoreException) e, clock.instant(), canRebase);
    }
    if (e instanceof JsonInputException)
      return CliException.usage(e.getMessage(), null).problem("invalid-json");
    if (e instanceof InvalidPatchException)
      return CliException.usage(e.getMessage(), null).problem("invalid-patch");
    if (e instanceof PatchFailedException) {
      return new CliException(ExitCode.NEGATIVE, "patch does not apply: " + e.getMessage())
          .problem("patch-failed");
    }
    if (e instanceof StackOverflowError) {
      return CliException.usage("input nested too deeply to process", "lower --max-depth")
          .problem("too-deep");
    }
    if (e instanceof OutOfMemoryError) {
      return new CliException(
          ExitCode.INTERNAL,
          "out of memory",
          "give the JVM more heap, e.g. CFGCTL_JAVA_OPTS=-Xmx4g");
    }
    return new CliException(
        ExitCode.INTERNAL,
        "internal error (this is a bug in cfgctl, please report it): " + e,
        "run again with --verbose for the stack trace to include in the report");
  }

  /** Whether a command line that did not parse asked for -o json (then the error is JSON too). */
  static boolean jsonAskedFor(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) return false;
      if ((a.equals("-o") || a.equals("--output")) && i + 1 < args.length && isJson(args[i + 1])) {
        return true;
      }
      if (a.startsWith("-o") && isJson(a.substring(a.startsWith("-o=") ? 3 : 2))) return true;
      if (a.startsWith("--output=") && isJson(a.substring("--output=".length()))) return true;
    }
    return false;
  }

  private static boolean isJson(String format) {
    return format.equals("json") || format.equals("jsonl");
  }

  // ---------------------------------------------------------------- did you mean

  private static List<String> commandNames(CommandLine cmd) {
    List<String> names = new ArrayList<>();
    cmd.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!sub.getCommandSpec().usageMessage().hidden()) names.add(name);
            });
    return names;
  }

  private static List<String> optionNames(CommandSpec spec) {
    List<String> names = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (!o.hidden()) names.add(o.longestName()); // -dry-run and --dryrun are typos of a long name
    }
    return names;
  }

  /**
   * The candidates that {@code typed} is probably a typo of, closest first (at most three): one or
   * two letters wrong, missing, extra or swapped (two only for longer words), or the start of one.
   */
  static List<String> similar(String typed, List<String> candidates) {
    String t = strip(typed);
    int allowed = t.length() <= 4 ? 1 : 2;
    List<String> found = new ArrayList<>();
    for (String c : candidates) {
      String s = strip(c);
      if (s.equals(t) && !c.equals(typed)) found.add(c); // -dry-run for --dry-run
      else if (distance(t, s) <= allowed || (t.length() >= 3 && s.startsWith(t))) found.add(c);
    }
    found.sort(Comparator.comparingInt(c -> distance(t, strip(c))));
    return found.subList(0, Math.min(3, found.size()));
  }

  private static String strip(String name) {
    int i = 0;
    while (i < name.length() && name.charAt(i) == '-') i++;
    return name.substring(i).toLowerCase(java.util.Locale.ROOT);
  }

  /** Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
