package dev.cfgctl.cli.options;

import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;

/** Options every command shares: JSON layout and verbosity. */
public final class CommonOptions {
  public boolean pretty;
  public boolean compact;
  boolean verbose;

  /**
   * Adds --pretty, --compact and -v/--verbose to a command that keeps them in a field of this type.
   */
  public static void addTo(CommandModel<CommonOptions> m) {
    m.flag("--pretty", "Indent JSON output (the default on a terminal).", (o, v) -> o.pretty = v);
    m.flag(
        "--compact", "Print JSON on one line (the default when piped).", (o, v) -> o.compact = v);
    m.flag("-v, --verbose", "Show stack traces of errors.", (o, v) -> o.verbose = v);
  }

  /** Refuses contradictory options; commands call it before doing any work. */
  public void check() {
    if (pretty && compact)
      throw CliException.usage("--pretty and --compact exclude each other", null);
  }

  /** Whether JSON goes out indented: as asked, else when a person is watching. */
  public boolean pretty(boolean terminal) {
    return pretty || (!compact && terminal);
  }
}
