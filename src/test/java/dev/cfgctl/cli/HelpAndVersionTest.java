package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.Cfgctl;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** --help and --version everywhere, usage without a command, and the completion script. */
class HelpAndVersionTest {
  @TempDir Path tmp;
  CliRunner cli;

  @BeforeEach
  void runner() {
    cli = new CliRunner(tmp);
  }

  /**
   * Commands whose examples (missing, or wrapped mid-line) another branch of issue 14 fixes; remove
   * each from here when that arrives, and the tests below hold them to it too.
   */
  /**
   * Every command of the tree, as the words that name it (the top command is the empty list), but
   * {@code help}, which shows the others' help.
   */
  static Stream<List<String>> commands() {
    List<List<String>> all = new ArrayList<>();
    walk(
        Cfgctl.commandLine(
            new Io(
                new ByteArrayInputStream(new byte[0]),
                System.out,
                System.err,
                false,
                false,
                Map.of())),
        List.of(),
        all);
    assertThat(all).as("the walk finds the command tree").hasSizeGreaterThan(25);
    return all.stream();
  }

  private static void walk(CommandLine cmd, List<String> words, List<List<String>> all) {
    all.add(words);
    cmd.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (sub.getCommandSpec().helpCommand() || !sub.getCommandName().equals(name))
                return; // aliases once
              List<String> w = new ArrayList<>(words);
              w.add(name);
              walk(sub, w, all);
            });
  }

  @ParameterizedTest(name = "cfgctl {0} --help")
  @MethodSource("commands")
  void helpExitsZeroAndShowsExitCodesAndExamples(List<String> command) {
    for (String flag : List.of("--help", "-h")) {
      CliRunner.Result r = cli.run(args(command, flag));
      assertThat(r.exit()).as(r.describe()).isZero();
      assertThat(r.err()).as(r.describe()).isEmpty();
      assertThat(r.out().replaceAll("\\s+", " "))
          .as(r.describe())
          .startsWith(helpHeadline(command).replaceAll("\\s+", " "));
      assertThat(r.out())
          .as(r.describe())
          .contains("Usage: cfgctl")
          .contains("\nExit codes:\n   0   success")
          .contains("\n   6   not found");
      assertThat(r.out())
          .as("every command's help has examples\n%s", r.describe())
          .contains("\nExamples:\n");
    }
  }

  @ParameterizedTest(name = "cfgctl {0} --version")
  @MethodSource("commands")
  void versionExitsZeroAndNamesCfgctlAndJava(List<String> command) {
    for (String flag : List.of("--version", "-V")) {
      CliRunner.Result r = cli.run(args(command, flag));
      assertThat(r.exit()).as(r.describe()).isZero();
      assertThat(r.err()).as(r.describe()).isEmpty();
      assertThat(r.out())
          .as(r.describe())
          .isEqualTo(
              "cfgctl (development build)\nJava "
                  + System.getProperty("java.version")
                  + " ("
                  + System.getProperty("java.vm.name")
                  + ")\n");
    }
  }

  /** Example command lines must survive the help's line wrapping, or they cannot be copied. */
  @ParameterizedTest(name = "cfgctl {0} --help")
  @MethodSource("commands")
  void everyExampleLineIsACommentOrACompleteCommand(List<String> command) {
    String help = cli.run(args(command, "--help")).out();
    int examples = help.indexOf("\nExamples:\n");
    if (examples < 0) return; // see helpExitsZero…
    for (String line : help.substring(examples + "\nExamples:\n".length()).split("\n")) {
      assertThat(line)
          .as("a line of the examples of cfgctl %s:\n%s", command, help)
          .matches(
              "|  # .*|  ([a-z]+=\\$\\()?(cfgctl|echo|source) .*|Run 'cfgctl COMMAND --help' .*");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"diff", "validate", "completion"})
  void subcommandHelp(String command) {
    Golden.check("help-" + command, cli.run(command, "--help"), 0);
  }

  @Test
  void storeSubcommandHelp() {
    Golden.check("help-store-backup", cli.run("store", "backup", "--help"), 0);
    Golden.check("help-store-copy", cli.run("store", "copy", "--help"), 0);
  }

  @Test
  void helpCommandShowsTheSameHelpAsTheHelpOption() {
    for (String command : List.of("diff", "patch", "validate", "completion")) {
      assertThat(cli.run("help", command).out()).isEqualTo(cli.run(command, "--help").out());
    }
    assertThat(cli.run("help").out()).isEqualTo(cli.run("--help").out());
  }

  @Test
  void topLevelHelp() {
    Golden.check("help-top", cli.run("--help"), 0);
  }

  @Test
  void topLevelHelpListsEveryCommand() {
    String help = cli.run("--help").out();
    assertThat(help)
        .containsPattern("\n  diff +Show the changes between two JSON documents as a patch\\.\n")
        .containsPattern("\n  patch +Apply a JSON Patch or merge patch to a document\\.\n")
        .containsPattern("\n  validate +Check documents against a JSON Schema\\.\n")
        .containsPattern("\n  completion +Print the shell completion script\\.\n");
  }

  @Test
  void cfgctlAloneIsAUsageErrorWithTheUsageOnStderr() {
    CliRunner.Result r = cli.run();
    Golden.check("no-command", r, 2);
    assertThat(r.err()).isEqualTo(cli.run("--help").out());
  }

  @Test
  void completionPrintsTheScriptForTheShellAskedOrTheLoginShell()
      throws IOException, InterruptedException {
    CliRunner.Result bash = cli.run("completion");
    assertThat(bash.exit()).isZero();
    assertThat(bash.err()).isEmpty();
    assertThat(bash.out())
        .startsWith("# bash completion for cfgctl")
        .endsWith("complete -F _cfgctl cfgctl\n")
        .contains("'cfgctl lock acquire')")
        .contains("--array-key")
        .contains("--in-place")
        .contains("--max-depth");
    assertThat(cli.run("completion", "bash").out()).isEqualTo(bash.out());
    CliRunner.Result zsh = cli.run("completion", "zsh");
    assertThat(zsh.out()).startsWith("#compdef cfgctl\n").contains("compdef _cfgctl cfgctl");
    assertThat(cli.env(Map.of("SHELL", "/usr/bin/zsh")).run("completion").out())
        .isEqualTo(zsh.out());
    assertThat(cli.env(Map.of("SHELL", "/bin/bash")).run("completion").out()).isEqualTo(bash.out());

    for (String shell : List.of("bash", "zsh")) {
      if (new ProcessBuilder("sh", "-c", "command -v " + shell).start().waitFor() != 0) continue;
      Path script = tmp.resolve("completion." + shell);
      Files.writeString(
          script, shell.equals("bash") ? bash.out() : zsh.out(), StandardCharsets.UTF_8);
      Process p =
          new ProcessBuilder(shell, "-n", script.toString()).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("%s -n on the completion script: %s", shell, output).isZero();
    }
  }

  @Test
  void completionTakesBashOrZsh() {
    Golden.check("completion-unknown-shell", cli.fails(2, "completion", "fish"), 2);
  }

  private static String[] args(List<String> command, String flag) {
    List<String> a = new ArrayList<>(command);
    a.add(flag);
    return a.toArray(String[]::new);
  }

  /** The first line of a command's help: its header. */
  private static String helpHeadline(List<String> command) {
    if (command.isEmpty())
      return "Patch, diff, validate and serve versioned JSON configuration documents.\n";
    switch (command.get(0)) {
      case "diff":
        return "Show the changes between two JSON documents as a patch.\n";
      case "patch":
        return "Apply a JSON Patch or merge patch to a document.\n";
      case "validate":
        return "Check documents against a JSON Schema.\n";
      case "completion":
        return "Print the shell completion script.\n";
      case "serve":
        return "Run the config API server.\n";
      case "store":
        if (command.size() == 1) {
          return "Back up the embedded store, or copy every config to another store.\n";
        }
        return command.get(1).equals("backup")
            ? "Back up the embedded store to a file, online.\n"
            : "Copy every config with its whole history to another store, verified.\n";
      default:
        return header(command);
    }
  }

  /** A command's header, as its model has it. */
  private static String header(List<String> command) {
    CommandLine cmd =
        Cfgctl.commandLine(
            new Io(
                new ByteArrayInputStream(new byte[0]),
                System.out,
                System.err,
                false,
                false,
                Map.of()));
    for (String word : command) cmd = cmd.getSubcommands().get(word);
    return cmd.getCommandSpec().usageMessage().header()[0] + "\n";
  }
}
