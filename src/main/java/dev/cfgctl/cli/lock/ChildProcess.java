package dev.cfgctl.cli.lock;

import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command {@code lock exec} runs: on the process's own streams, or with its output copied to
 * the caller's when run in-process (tests); stopped when Ctrl-C or SIGTERM end the JVM. Not
 * thread-safe.
 */
final class ChildProcess {
  private static final Pattern ERRNO = Pattern.compile("error(?:=|: )(\\d+)");

  private final Io io;
  private final List<String> command;
  private final ProcessBuilder builder;

  ChildProcess(Io io, List<String> command) {
    this.io = io;
    this.command = command;
    this.builder = new ProcessBuilder(command);
  }

  /** The command's environment, to add to before {@link #run}. */
  Map<String, String> environment() {
    return builder.environment();
  }

  /**
   * Runs the command to its end and returns its exit code, calling {@code release} once it ended
   * (or could not start); when the JVM ends first, its shutdown hook stops the command and
   * releases.
   */
  int run(Runnable release) throws IOException, InterruptedException {
    boolean realStreams = io.out() == System.out && io.err() == System.err;
    if (realStreams) builder.inheritIO();
    Process child;
    try {
      child = builder.start();
    } catch (IOException e) {
      release.run();
      throw cannotRun(e);
    }
    List<Thread> pumps = new ArrayList<>();
    if (!realStreams) { // in-process callers (tests): copy the command's output to our streams
      child.getOutputStream().close();
      pumps.add(pump(child.getInputStream(), io.out()));
      pumps.add(pump(child.getErrorStream(), io.err()));
    }
    // Ctrl-C / SIGTERM end the JVM: stop the command, then release
    Thread hook =
        new Thread(
            () -> {
              child.destroy();
              try {
                child.waitFor(10, TimeUnit.SECONDS);
              } catch (InterruptedException ignored) {
                // releasing anyway
              }
              release.run();
            },
            "cfgctl-lock-exec-release");
    Runtime.getRuntime().addShutdownHook(hook);
    int exit = child.waitFor();
    for (Thread t : pumps) t.join(10_000);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      return exit; // the JVM is ending: the hook releases
    }
    release.run();
    io.out().flush();
    return exit;
  }

  private CliException cannotRun(IOException e) {
    String program = command.get(0);
    int errno = errno(e.getMessage());
    if (errno == 2) {
      // "not found" in the exit code table, where a shell would exit 127
      return new CliException(
          ExitCode.NOT_FOUND,
          "cannot run " + program + ": no such command",
          program.contains("/")
              ? null
              : "check its name and the PATH (a script here: ./" + program + ")");
    }
    String why = errno == 13 ? "permission denied" : e.getMessage();
    return CliException.usage("cannot run " + program + ": " + why, null);
  }

  private static Thread pump(InputStream in, OutputStream out) {
    Thread t =
        new Thread(
            () -> {
              try (in) {
                in.transferTo(out);
                out.flush();
              } catch (IOException ignored) {
                // the command ended
              }
            },
            "cfgctl-lock-exec-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * The errno in the JDK's "Cannot run program" message: "error=2, No such file or directory" on
   * JDK 17, "Exec failed, error: 2 (No such file or directory)" on JDK 25 (the launcher's pick); -1
   * when there is none.
   */
  static int errno(String message) {
    Matcher m = message == null ? null : ERRNO.matcher(message);
    return m != null && m.find() ? Integer.parseInt(m.group(1)) : -1;
  }
}
