package dev.cfgctl.cli;

import picocli.CommandLine.Option;

/** {@code -o text|json}: how a command prints its result. */
public final class FormatOption {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Output format: text (for people) or json (one JSON value, for scripts).")
  String value;

  /** Whether the output is json, checking the value; {@code fallback} when -o is not given. */
  public boolean json(String fallback) {
    return isJson(value == null ? fallback : value);
  }

  static boolean isJson(String format) {
    if (format.equals("text") || format.equals("json")) return format.equals("json");
    throw CliException.usage("unknown output format \"" + format + "\" (expected text or json)", null);
  }
}
