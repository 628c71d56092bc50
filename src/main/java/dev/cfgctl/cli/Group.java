package dev.cfgctl.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command that only groups others ({@code cfgctl} itself, {@code lock}, {@code token}, {@code
 * context}): alone, it shows its usage.
 */
public final class Group implements Callable<Integer> {
  private final Io io;
  private final CommandSpec spec;

  public Group(Io io, CommandSpec spec) {
    this.io = io;
    this.spec = spec;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(io.err());
    return ExitCode.USAGE;
  }
}
