package dev.cfgctl.cli;

import dev.cfgctl.output.Format;
import dev.cfgctl.output.Printer;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * The process's streams and surroundings, given to every command so tests can run the real CLI
 * in-process. {@code stdoutTerminal}/{@code stderrTerminal} say whether a person is watching
 * (pretty JSON, colors, progress bars). {@code env} is the run's own copy of the environment
 * ({@link dev.cfgctl.Cfgctl#run(Io, String...)} makes it): the global {@code --context NAME} sets
 * {@code CFGCTL_CONTEXT} in it, and nothing else writes to it. {@code clock} is the only source of
 * "now" for commands, so tests can fix it. {@code stores} opens the stores commands work on.
 *
 * <p>This is the composition root: every command gets it through its constructor, and takes its
 * collaborators from it instead of reaching for globals.
 */
public record Io(
    InputStream in,
    PrintStream out,
    PrintStream err,
    boolean stdoutTerminal,
    boolean stderrTerminal,
    Map<String, String> env,
    Clock clock,
    StoreOpener stores) {

  /** The process's surroundings: the system clock, the real stores. */
  public Io(
      InputStream in,
      PrintStream out,
      PrintStream err,
      boolean stdoutTerminal,
      boolean stderrTerminal,
      Map<String, String> env) {
    this(in, out, err, stdoutTerminal, stderrTerminal, env, Clock.systemUTC(), StoreOpener.DEFAULT);
  }

  /** The same surroundings with another environment (a copy of its own). */
  public Io withEnv(Map<String, String> newEnv) {
    return new Io(in, out, err, stdoutTerminal, stderrTerminal, newEnv, clock, stores);
  }

  /** The printer of {@code format} on stdout; {@code pretty}: indent JSON. */
  public Printer printer(Format format, boolean pretty) {
    return format.printer(out, pretty);
  }

  /** Whether to color what goes to stdout: a terminal, no NO_COLOR (non-empty), no TERM=dumb. */
  public boolean colorOut() {
    String noColor = env.get("NO_COLOR");
    return stdoutTerminal
        && (noColor == null || noColor.isEmpty())
        && !"dumb".equals(env.get("TERM"));
  }
}
