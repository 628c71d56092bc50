package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.Cfgctl;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Runs the real command line in-process ({@link Cfgctl#run(Io, String...)}) with captured streams,
 * files in a temporary directory, and the temporary directory's path replaced by {@code $TMP} in
 * what comes out, so golden files do not depend on where the test ran. Not thread-safe.
 *
 * <p>By default stdout and stderr are not terminals and the environment is empty, as when cfgctl
 * runs in a script; {@link #onTerminal(Map)} simulates a person at a terminal.
 */
final class CliRunner {
  static {
    // Help text must not depend on the width of whatever terminal ran the build, nor on its colors.
    System.setProperty("picocli.usage.width", "80");
    System.setProperty("picocli.ansi", "false");
  }

  /** What one command line did: exit code, stdout and stderr (normalized: $TMP, \n line ends). */
  record Result(String[] args, int exit, String out, String err) {
    /** For assertion messages: the command line and everything it printed. */
    String describe() {
      return "cfgctl "
          + String.join(" ", args)
          + "\n--- exit "
          + exit
          + "\n--- stdout:\n"
          + out
          + "--- stderr:\n"
          + err;
    }
  }

  private final Path dir;
  private byte[] stdin = new byte[0];
  private boolean terminal;
  private Map<String, String> env = Map.of();

  CliRunner(Path dir) {
    this.dir = dir;
  }

  /** The temporary directory the files live in. */
  Path dir() {
    return dir;
  }

  /** The absolute path of {@code name} in the temporary directory, as an operand. */
  String path(String name) {
    return dir.resolve(name).toString();
  }

  /**
   * Writes {@code content} (UTF-8) to {@code name} in the temporary directory; returns its path.
   */
  String write(String name, String content) {
    return write(name, content.getBytes(StandardCharsets.UTF_8));
  }

  String write(String name, byte[] content) {
    try {
      Path p = dir.resolve(name);
      Files.createDirectories(p.getParent());
      Files.write(p, content);
      return p.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies a test resource ({@code /cli/...} or a bundled {@code /examples/...}) into the
   * directory.
   */
  String copy(String resource, String name) {
    try (InputStream in = CliRunner.class.getResourceAsStream(resource)) {
      assertThat(in).as("test resource %s", resource).isNotNull();
      return write(name, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a test resource into the directory under its own file name. */
  String copy(String resource) {
    return copy(resource, resource.substring(resource.lastIndexOf('/') + 1));
  }

  /** The content of a test resource, as UTF-8. */
  static String resource(String resource) {
    try (InputStream in = CliRunner.class.getResourceAsStream(resource)) {
      assertThat(in).as("test resource %s", resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  byte[] bytes(String name) {
    try {
      return Files.readAllBytes(dir.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String read(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  /** The next run reads {@code text} on stdin. */
  CliRunner stdin(String text) {
    this.stdin = text.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /** The next runs see this environment (stdout and stderr stay non-terminals). */
  CliRunner env(Map<String, String> environment) {
    this.env = environment;
    return this;
  }

  /** The next runs write to a terminal (stdout and stderr) with this environment. */
  CliRunner onTerminal(Map<String, String> environment) {
    this.terminal = true;
    this.env = environment;
    return this;
  }

  /**
   * Runs one command line and checks what holds for every command line: an exit code cfgctl
   * documents, no stack trace on stderr (unless --verbose), and nothing on stdout when it failed
   * with a usage error or worse (stdout carries data only).
   */
  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Io io =
        new Io(
            new ByteArrayInputStream(stdin),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            terminal,
            terminal,
            env);
    stdin = new byte[0];
    int exit = Cfgctl.run(io, args);
    return checked(new Result(args, exit, normalize(out), normalize(err)), true);
  }

  /** A command line running in the background (watch): what it printed so far, then its result. */
  final class Running {
    private final String[] args;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread thread;
    private volatile int exit = -1;

    private Running(String[] args) {
      this.args = args;
      Io io =
          new Io(
              new ByteArrayInputStream(new byte[0]),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              false,
              false,
              env);
      thread = new Thread(() -> exit = Cfgctl.run(io, args), "cfgctl " + String.join(" ", args));
      thread.setDaemon(true);
      thread.start();
    }

    /** Stdout so far. */
    String out() {
      return normalize(out);
    }

    /** Waits until stdout contains {@code text}, at most {@code timeout}. */
    Running awaitOut(String text, java.time.Duration timeout) throws InterruptedException {
      long end = System.nanoTime() + timeout.toNanos();
      while (!out().contains(text)) {
        assertThat(System.nanoTime() < end && thread.isAlive())
            .as(
                "stdout of cfgctl %s contains %s; it is:%n%s%nstderr:%n%s",
                String.join(" ", args), text, out(), normalize(err))
            .isTrue();
        Thread.sleep(20);
      }
      return this;
    }

    /**
     * Waits for the command to end, at most {@code timeout} (then interrupts it and fails), and
     * checks its result as {@link #run} does.
     */
    Result await(java.time.Duration timeout) throws InterruptedException {
      thread.join(timeout.toMillis());
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(5_000);
        throw new AssertionError(
            "cfgctl "
                + String.join(" ", args)
                + " still running after "
                + timeout
                + "\n--- stdout:\n"
                + out()
                + "--- stderr:\n"
                + normalize(err));
      }
      // a stream may have printed events before it failed: stdout is not checked for that
      return checked(new Result(args, exit, out(), normalize(err)), false);
    }
  }

  /** Starts a command line in the background with this runner's environment. */
  Running start(String... args) {
    return new Running(args);
  }

  private Result checked(Result r, boolean nothingOutOnFailure) {
    String[] args = r.args();
    int exit = r.exit();
    assertThat(exit)
        .as("exit code is one of the documented ones\n%s", r.describe())
        .isBetween(0, 8);
    assertThat(exit).as("exit code 8 means a bug in cfgctl\n%s", r.describe()).isNotEqualTo(8);
    boolean verbose =
        Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose");
    if (!verbose) {
      assertThat(r.err()).as("stderr has no stack trace\n%s", r.describe()).doesNotContain("\tat ");
      assertThat(r.err())
          .as("stderr names no Java exception class\n%s", r.describe())
          .doesNotContainPattern("[a-z]+\\.[a-z.]+\\.[A-Za-z]*(Exception|Error)\\b");
    }
    if (exit >= ExitCode.USAGE && nothingOutOnFailure) {
      assertThat(r.out())
          .as("stdout carries data only: nothing on a failure\n%s", r.describe())
          .isEmpty();
    }
    return r;
  }

  /** Runs, checks the exit code, and checks that stderr is one error line and an optional hint. */
  Result fails(int expectedExit, String... args) {
    Result r = run(args);
    assertThat(r.exit()).as("exit code\n%s", r.describe()).isEqualTo(expectedExit);
    assertOneLineError(r);
    return r;
  }

  /**
   * stderr is {@code cfgctl: <what happened>}, optionally followed by {@code hint: <what to do>}.
   */
  static void assertOneLineError(Result r) {
    String[] lines = r.err().split("\n", -1);
    assertThat(r.err()).as("stderr ends with a line break\n%s", r.describe()).endsWith("\n");
    assertThat(lines.length - 1)
        .as("stderr has one error line and at most one hint\n%s", r.describe())
        .isBetween(1, 2);
    assertThat(lines[0]).as("the error line\n%s", r.describe()).startsWith("cfgctl: ");
    if (lines.length == 3) {
      assertThat(lines[1]).as("the second line is a hint\n%s", r.describe()).startsWith("hint: ");
    }
  }

  private String normalize(ByteArrayOutputStream stream) {
    String s = stream.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    return s.replace(dir.toString(), "$TMP");
  }
}
