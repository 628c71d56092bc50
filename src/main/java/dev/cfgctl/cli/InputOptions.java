package dev.cfgctl.cli;

import dev.cfgctl.patch.Json;
import picocli.CommandLine.Option;

/** Limits on the JSON documents a command reads. */
public final class InputOptions {
  static final int MAX_DEPTH_CEILING = 1000;

  @Option(
      names = "--max-depth",
      paramLabel = "N",
      description = "Refuse JSON nested deeper than N levels (default: ${DEFAULT-VALUE}, at most 1000).",
      defaultValue = "200")
  int maxDepth;

  public Json.Limits limits() {
    if (maxDepth < 1 || maxDepth > MAX_DEPTH_CEILING) {
      throw CliException.usage("--max-depth must be between 1 and " + MAX_DEPTH_CEILING, null);
    }
    return Json.Limits.DEFAULT.withMaxDepth(maxDepth);
  }
}
