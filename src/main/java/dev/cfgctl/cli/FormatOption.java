package dev.cfgctl.cli;

/** {@code -o text|json}: how a command prints its result. */
public final class FormatOption {
  String value;

  /** Adds -o/--output to a command that keeps it in a field of this type. */
  static void addTo(CommandModel<FormatOption> m) {
    m.option("-o, --output", "FORMAT",
        "Output format: text (for people) or json (one JSON value, for scripts).", (o, v) -> o.value = v);
  }

  /** Whether the output is json, checking the value; {@code fallback} when -o is not given. */
  public boolean json(String fallback) {
    return isJson(value == null ? fallback : value);
  }

  static boolean isJson(String format) {
    if (format.equals("text") || format.equals("json")) return format.equals("json");
    throw CliException.usage("unknown output format \"" + format + "\" (expected text or json)", null);
  }
}
