package dev.cfgctl.output;

import java.io.PrintStream;
import java.util.Locale;

/** How a command prints its result: {@code -o text|json|jsonl}. */
public enum Format {
  /** For people: lines and tables. */
  TEXT,
  /** One JSON value, indented on a terminal or with --pretty. */
  JSON,
  /** One compact JSON value per line: each item of a list on its own line. */
  JSONL;

  /** The printer of this format; {@code pretty}: indent JSON (text and json). */
  public Printer printer(PrintStream out, boolean pretty) {
    return switch (this) {
      case TEXT -> new TextPrinter(out, pretty);
      case JSON -> new JsonPrinter(out, pretty);
      case JSONL -> new JsonLinesPrinter(out);
    };
  }

  /** The word -o takes for this format. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
