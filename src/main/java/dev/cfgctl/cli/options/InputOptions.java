package dev.cfgctl.cli.options;

import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.patch.Json;

/** Limits on the JSON documents a command reads. */
public final class InputOptions {
  static final int MAX_DEPTH_CEILING = 1000;

  int maxDepth;

  /** Adds --max-depth to a command that keeps it in a field of this type. */
  public static void addTo(CommandModel<InputOptions> m) {
    m.option(
            "--max-depth",
            int.class,
            "N",
            "Refuse JSON nested deeper than N levels (default: ${DEFAULT-VALUE}, at most 1000).",
            (o, v) -> o.maxDepth = v)
        .defaultValue("200");
  }

  public Json.Limits limits() {
    if (maxDepth < 1 || maxDepth > MAX_DEPTH_CEILING) {
      throw CliException.usage("--max-depth must be between 1 and " + MAX_DEPTH_CEILING, null);
    }
    return Json.Limits.DEFAULT.withMaxDepth(maxDepth);
  }
}
