package dev.cfgctl.output;

import java.io.PrintStream;

/**
 * Renders commands' results on stdout in one {@link Format}, as kubectl's cli-runtime printers do.
 * Not thread-safe: one printer per command run.
 */
public interface Printer {
  /** Prints {@code result}. */
  void print(Result result);

  /** The printer of {@code format}; {@code pretty}: indent JSON (text and json). */
  static Printer of(Format format, PrintStream out, boolean pretty) {
    return switch (format) {
      case TEXT -> new TextPrinter(out, pretty);
      case JSON -> new JsonPrinter(out, pretty);
      case JSONL -> new JsonLinesPrinter(out);
    };
  }
}
