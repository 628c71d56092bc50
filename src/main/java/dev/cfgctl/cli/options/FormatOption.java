package dev.cfgctl.cli.options;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.Io;
import dev.cfgctl.output.Format;
import dev.cfgctl.output.Printer;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code -o text|json|jsonl}: how a command prints its result, parsed once into a {@link Format}.
 */
public final class FormatOption {
  /** The formats -o takes, and what it completes to. */
  public static final List<String> VALUES =
      Arrays.stream(Format.values()).map(Format::word).toList();

  Format value;

  /** Adds -o/--output to a command that keeps it in a field of this type; the parser checks it. */
  public static void addTo(CommandModel<FormatOption> m) {
    m.option(
            "-o, --output",
            Format.class,
            "FORMAT",
            "Output format: text (for people), json"
                + " (one JSON value, for scripts) or jsonl (one compact JSON value per line: a list's"
                + " items).",
            (o, v) -> o.value = v)
        .converters(FormatOption::parse)
        .completionCandidates(Candidates.of(VALUES));
  }

  /** The format asked for; {@code fallback} when -o is not given. */
  public Format format(Format fallback) {
    return value == null ? fallback : value;
  }

  /** Whether the output is JSON (json or jsonl); {@code fallback} when -o is not given. */
  public boolean json(Format fallback) {
    return format(fallback) != Format.TEXT;
  }

  /** The same, for commands that name the fallback by its word. */
  public boolean json(String fallback) {
    return json(parse(fallback));
  }

  /** The printer of the format asked for, on stdout; JSON indented as {@code common} says. */
  public Printer printer(Io io, CommonOptions common, Format fallback) {
    return io.printer(format(fallback), common.pretty(io.stdoutTerminal()));
  }

  /** A word -o takes, as a format. */
  public static Format parse(String word) {
    for (Format f : Format.values()) {
      if (f.word().equals(word)) return f;
    }
    throw new TypeConversionException("expected text, json or jsonl, not '" + word + "'");
  }
}
