package dev.cfgctl.cli.options;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import java.util.List;
import picocli.CommandLine.TypeConversionException;

/** {@code -o text|json}: how a command prints its result. */
public final class FormatOption {
  /** The formats -o takes, and what it completes to. */
  public static final List<String> VALUES = List.of("text", "json");

  String value;

  /** Adds -o/--output to a command that keeps it in a field of this type; the parser checks the value. */
  public static void addTo(CommandModel<FormatOption> m) {
    m.option("-o, --output", "FORMAT",
        "Output format: text (for people) or json (one JSON value, for scripts).", (o, v) -> o.value = v)
        .converters(FormatOption::checked).completionCandidates(Candidates.of(VALUES));
  }

  /** Whether the output is json, checking the value; {@code fallback} when -o is not given. */
  public boolean json(String fallback) {
    return isJson(value == null ? fallback : value);
  }

  static boolean isJson(String format) {
    if (VALUES.contains(format)) return format.equals("json");
    throw CliException.usage("unknown output format \"" + format + "\" (expected text or json)", null);
  }

  private static String checked(String format) {
    if (!VALUES.contains(format)) {
      throw new TypeConversionException("expected text or json, not '" + format + "'");
    }
    return format;
  }
}
