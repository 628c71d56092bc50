package dev.cfgctl.cli;

import picocli.CommandLine.Option;

/** Options every command shares: JSON layout and verbosity. */
public final class CommonOptions {
  @Option(names = "--pretty", description = "Indent JSON output (the default on a terminal).")
  boolean pretty;

  @Option(names = "--compact", description = "Print JSON on one line (the default when piped).")
  boolean compact;

  @Option(names = {"-v", "--verbose"}, description = "Show stack traces of errors.")
  boolean verbose;

  /** Refuses contradictory options; commands call it before doing any work. */
  public void check() {
    if (pretty && compact) throw CliException.usage("--pretty and --compact exclude each other", null);
  }

  /** Whether JSON goes out indented: as asked, else when a person is watching. */
  public boolean pretty(boolean terminal) {
    return pretty || (!compact && terminal);
  }
}
