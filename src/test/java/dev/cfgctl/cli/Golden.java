package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: {@code src/test/resources/golden/NAME.out} and {@code NAME.err} hold the exact
 * stdout and stderr of a command line (an empty file: nothing may be printed there). Run the tests
 * with {@code -Dgolden.update=true} to rewrite them from what the command printed — then read every
 * changed file before committing it. The escape character is written as {@code \e} so colored
 * output stays readable.
 */
final class Golden {
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");
  private static final Path DIR =
      Path.of(
          System.getProperty("basedir", System.getProperty("user.dir")),
          "src",
          "test",
          "resources",
          "golden");

  private Golden() {}

  /** Checks the exit code, then stdout and stderr against {@code NAME.out} and {@code NAME.err}. */
  static void check(String name, CliRunner.Result r, int expectedExit) {
    assertThat(r.exit()).as("exit code\n%s", r.describe()).isEqualTo(expectedExit);
    compare(name + ".out", r.out(), r);
    compare(name + ".err", r.err(), r);
  }

  /** Checks a file the command wrote against {@code NAME.<suffix>}. */
  static void checkFile(String name, String suffix, String content, CliRunner.Result r) {
    compare(name + "." + suffix, content, r);
  }

  private static void compare(String file, String actual, CliRunner.Result r) {
    Path golden = DIR.resolve(file);
    String visible = actual.replace("\u001b", "\\e");
    try {
      if (UPDATE) {
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, visible, StandardCharsets.UTF_8);
        return;
      }
      assertThat(golden)
          .as(
              "golden file %s is missing; run with -Dgolden.update=true to create it\n%s",
              golden, r.describe())
          .exists();
      String expected = Files.readString(golden, StandardCharsets.UTF_8);
      assertThat(visible)
          .as(
              "%s differs from golden file %s (if the change is intended, rerun with"
                  + " -Dgolden.update=true and review the file)\n%s",
              file, golden, r.describe())
          .isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
