package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cfgctl.Cfgctl;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Runs the generated completion scripts under bash and zsh, as the shells run them when the user
 * presses TAB, for every command, option and operand, and feeds every candidate back to the CLI:
 * the parser must accept each one. zsh's completion builtins are stood in for by functions that
 * print what they are given. Without zsh the tests are skipped (with a line saying so) unless
 * CFGCTL_REQUIRE_TOOLS=1, as in CI.
 */
@Tag("slow") // hundreds of bash and zsh processes: in mvn verify, not in the mvn test loop
class CompletionScriptTest {
  /** The one file in the directory the shells run in: where file names complete, it is offered. */
  private static final String FILE = "a-file.json";

  @TempDir Path dir;
  private Path fakeCfgctl;
  private CommandLine root;

  /** One TAB: the words after cfgctl before the cursor, and the word being completed. */
  record Tab(List<String> words, String cur) {
    @Override
    public String toString() {
      return "cfgctl " + String.join(" ", words) + " " + cur + "<TAB>";
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(dir.resolve("cwd"));
    Files.writeString(dir.resolve("cwd").resolve(FILE), "{}");
    // stands in for cfgctl __complete: offers dyn-KIND and logs how it was called
    fakeCfgctl = dir.resolve("bin/fake-cfgctl");
    Files.createDirectories(fakeCfgctl.getParent());
    Files.writeString(
        fakeCfgctl,
        "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \""
            + dir.resolve("calls.log")
            + "\"\necho \"dyn-$2\"\n");
    Files.setPosixFilePermissions(fakeCfgctl, PosixFilePermissions.fromString("rwx------"));
    root =
        Cfgctl.commandLine(
            new Io(
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()),
                false,
                false,
                Map.of()));
  }

  @Test
  void everyCandidateInBashAndZshIsOneTheParserAccepts() throws Exception {
    Map<Tab, Expect> tabs = new LinkedHashMap<>();
    collect(root.getCommandSpec(), new ArrayList<>(), tabs);
    List<Tab> all = new ArrayList<>(tabs.keySet());

    List<List<String>> bash = bash(all);
    List<List<String>> zsh = zsh(all);
    assertThat(bash).hasSameSizeAs(all);
    for (int i = 0; i < all.size(); i++) {
      Tab tab = all.get(i);
      assertThat(new TreeSet<>(zsh.get(i)))
          .as("zsh offers what bash offers for %s", tab)
          .isEqualTo(new TreeSet<>(bash.get(i)));
      tabs.get(tab).check(tab, bash.get(i));
    }
    // what the parser refuses is refused even with --help, so the check below can fail
    assertThat(run("diff", "-o", "yaml", "--help")).isEqualTo(ExitCode.USAGE);
    assertThat(run("diff", "--format", "JSON_PATCH", "--help")).isEqualTo(ExitCode.USAGE);
    assertThat(run("completion", "fish")).isEqualTo(ExitCode.USAGE);

    int fedBack = 0;
    for (int i = 0; i < all.size(); i++) {
      Tab tab = all.get(i);
      for (String candidate : bash.get(i)) {
        if (candidate.equals(FILE) || candidate.startsWith("dyn-"))
          continue; // files; the fake's answers
        List<String> line = new ArrayList<>(tab.words());
        line.add(candidate);
        OptionSpec option = option(tab.words(), candidate);
        if (option != null && option.arity().max() > 0) line.add(sampleValue(option));
        if (option == null || !(option.usageHelp() || option.versionHelp())) line.add("--help");
        assertThat(run(line.toArray(new String[0])))
            .as("the parser accepts %s, offered for %s", String.join(" ", line), tab)
            .isZero();
        fedBack++;
      }
    }
    assertThat(fedBack).isGreaterThan(300);
  }

  @Test
  void fixedValuesAreTheOnesTheParserTakes() throws Exception {
    List<Tab> tabs =
        List.of(
            new Tab(List.of("diff", "--format"), ""),
            new Tab(List.of("diff", "-o"), ""),
            new Tab(List.of("patch", "--output"), ""),
            new Tab(List.of("token", "create", "--role"), ""),
            new Tab(List.of("completion"), ""),
            new Tab(List.of("diff", "--format"), "m"),
            new Tab(List.of("diff"), "--format=j"),
            new Tab(List.of("context", "set", "x", "--token-file"), ""),
            new Tab(List.of(), ""),
            new Tab(List.of("lock"), "re"),
            new Tab(List.of("help"), "con"),
            new Tab(List.of("patch", "--output-file"), ""));
    for (List<List<String>> offered : List.of(bash(tabs), zsh(tabs))) {
      assertThat(offered.get(0)).containsExactly("json-patch", "merge-patch");
      assertThat(offered.get(1)).containsExactly("text", "json", "jsonl");
      // patch -o is a format now; a file has its own option (-o FILE is still taken, deprecated)
      assertThat(offered.get(2)).containsExactly("text", "json", "jsonl");
      assertThat(offered.get(11)).containsExactly(FILE);
      assertThat(offered.get(3)).containsExactly("viewer", "editor", "admin");
      assertThat(offered.get(4)).containsExactly("bash", "zsh");
      assertThat(offered.get(7)).containsExactly(FILE);
      assertThat(offered.get(8))
          .contains("diff", "patch", "context", "help")
          .doesNotContain("__complete");
    }
    // the shells filter by what is typed: bash in the script, zsh in compadd (stood in for here)
    List<List<String>> bash = bash(tabs);
    assertThat(bash.get(5)).containsExactly("merge-patch");
    assertThat(bash.get(6)).containsExactly("json-patch");
    assertThat(bash.get(9)).containsExactly("release");
    assertThat(bash.get(10)).containsExactly("context");
  }

  @Test
  void contextsRefsAndTenantsAreAskedOfCfgctlWithTheStoreOptionsTyped() throws Exception {
    List<Tab> tabs =
        List.of(
            new Tab(List.of("context", "use"), ""),
            new Tab(List.of("get", "--server", "http://h:1", "--tenant", "acme"), "lan"),
            new Tab(List.of("list", "--tenant"), ""),
            new Tab(List.of("diff", "--context"), ""),
            new Tab(List.of("lock", "exec", "acme/x", "--"), ""));
    for (List<List<String>> offered : List.of(bash(tabs), zsh(tabs))) {
      assertThat(offered.get(0)).containsExactly("dyn-contexts");
      assertThat(offered.get(2)).containsExactly("dyn-tenants");
      assertThat(offered.get(3)).containsExactly("dyn-contexts");
      assertThat(offered.get(4)).containsExactly(FILE); // after --: the command's own arguments
    }
    assertThat(Files.readAllLines(dir.resolve("calls.log")))
        .contains(
            "__complete contexts -- context use ",
            "__complete refs -- get --server http://h:1 --tenant acme lan",
            "__complete tenants -- list --tenant ");
  }

  /** What a TAB must offer, checked against the model. */
  private interface Expect {
    void check(Tab tab, List<String> offered);
  }

  /**
   * The TABs for every command: its options, its subcommands, each option's and operand's values.
   */
  private void collect(CommandSpec spec, List<String> path, Map<Tab, Expect> tabs) {
    List<String> options = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (o.hidden()) continue;
      options.addAll(List.of(o.names()));
      if (o.arity().max() > 0) {
        List<String> words = new ArrayList<>(path);
        words.add(o.longestName());
        tabs.put(
            new Tab(words, ""),
            (tab, offered) -> {
              if (o.completionCandidates() instanceof Candidates c && !c.words.isEmpty()) {
                assertThat(offered).as("%s", tab).containsAll(c.words);
              }
            });
      }
    }
    tabs.put(
        new Tab(path, "-"),
        (tab, offered) ->
            assertThat(offered)
                .as("the options of %s", tab)
                .containsExactlyInAnyOrderElementsOf(options));
    List<String> subcommands = new ArrayList<>();
    spec.subcommands()
        .forEach(
            (name, sub) -> {
              if (!sub.getCommandSpec().usageMessage().hidden()) subcommands.add(name);
            });
    tabs.put(
        new Tab(path, ""),
        (tab, offered) -> {
          assertThat(offered).as("the subcommands of %s", tab).containsAll(subcommands);
          if (spec.helpCommand()) assertThat(offered).containsAll(visible(spec.parent()));
        });
    for (PositionalParamSpec p : spec.positionalParameters()) {
      for (int i = Math.max(1, p.index().min()); i <= Math.min(p.index().max(), 2); i++) {
        List<String> words = new ArrayList<>(path);
        words.addAll(Collections.nCopies(i, "x"));
        tabs.putIfAbsent(new Tab(words, ""), (tab, offered) -> {});
      }
    }
    for (CommandLine sub : spec.subcommands().values()) {
      if (sub.getCommandSpec().usageMessage().hidden()) continue;
      List<String> subPath = new ArrayList<>(path);
      subPath.add(sub.getCommandName());
      collect(sub.getCommandSpec(), subPath, tabs);
    }
  }

  private static List<String> visible(CommandSpec spec) {
    List<String> names = new ArrayList<>();
    spec.subcommands()
        .forEach(
            (name, sub) -> {
              if (!sub.getCommandSpec().usageMessage().hidden()) names.add(name);
            });
    return names;
  }

  /** The option {@code name} of the command that {@code words} name, if it is one. */
  private OptionSpec option(List<String> words, String name) {
    CommandLine cmd = root;
    for (String w : words) {
      if (cmd.getSubcommands().containsKey(w)) cmd = cmd.getSubcommands().get(w);
    }
    return name.startsWith("-") ? cmd.getCommandSpec().findOption(name) : null;
  }

  private static String sampleValue(OptionSpec option) {
    for (String v :
        option.completionCandidates() == null ? List.<String>of() : option.completionCandidates()) {
      return v;
    }
    return "1"; // a number, and a string too
  }

  private static int run(String... args) {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    return Cfgctl.run(
        new Io(
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(sink),
            new PrintStream(sink),
            false,
            false,
            Map.of()),
        args);
  }

  private List<List<String>> bash(List<Tab> tabs) throws Exception {
    Path script = dir.resolve("cfgctl.bash");
    Files.writeString(script, CompletionScript.bash(root.getCommandSpec()));
    StringBuilder driver =
        new StringBuilder(
            "source "
                + quote(script.toString())
                + "\n"
                + "tab() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _cfgctl;"
                + " printf '%s\\n' \"${COMPREPLY[@]}\" '@@'; }\n");
    for (Tab tab : tabs) {
      List<String> words = new ArrayList<>(tab.words());
      String cur = tab.cur();
      int eq = cur.indexOf('=');
      if (cur.startsWith("-") && eq > 0) { // bash splits --opt=value into three words
        words.add(cur.substring(0, eq));
        words.add("=");
        cur = cur.substring(eq + 1);
      }
      words.add(cur);
      driver.append("tab ").append(quote(fakeCfgctl.toString()));
      for (String w : words) driver.append(' ').append(quote(w));
      driver.append('\n');
    }
    return runShell(List.of("bash", "--noprofile", "--norc"), driver.toString(), tabs.size());
  }

  private List<List<String>> zsh(List<Tab> tabs) throws Exception {
    if (new ProcessBuilder("sh", "-c", "command -v zsh").start().waitFor() != 0) {
      String message = "zsh is not installed, so the zsh completion script is not tested";
      if ("1".equals(System.getenv("CFGCTL_REQUIRE_TOOLS")))
        fail(message + " (CFGCTL_REQUIRE_TOOLS=1)");
      System.out.println(message + "; CFGCTL_REQUIRE_TOOLS=1 makes this a failure");
      assumeTrue(false, message);
    }
    Path script = dir.resolve("_cfgctl");
    Files.writeString(script, CompletionScript.zsh(root.getCommandSpec()));
    StringBuilder driver =
        new StringBuilder(
            """
        compadd() { [[ $1 == -- ]] && shift; (( $# )) && printf '%s\\n' "$@"; return 0; }
        _files() { printf '%s\\n' *(N.); }
        compset() { return 0; }
        compdef() { return 0; }
        """
                + "source "
                + quote(script.toString())
                + "\n"
                + "tab() { words=(\"$@\"); CURRENT=$#; _cfgctl; print -r -- '@@'; }\n");
    for (Tab tab : tabs) {
      driver.append("tab ").append(quote(fakeCfgctl.toString()));
      for (String w : tab.words()) driver.append(' ').append(quote(w));
      driver.append(' ').append(quote(tab.cur())).append('\n');
    }
    return runShell(List.of("zsh", "-f"), driver.toString(), tabs.size());
  }

  /** Runs the driver in the test directory; the candidates of each TAB, split at the @@ lines. */
  private List<List<String>> runShell(List<String> shell, String driver, int expected)
      throws Exception {
    Path file = dir.resolve("driver");
    Files.writeString(file, driver);
    List<String> command = new ArrayList<>(shell);
    command.add(file.toString());
    Process p =
        new ProcessBuilder(command)
            .directory(dir.resolve("cwd").toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s ran the driver:\n%s", shell.get(0), out).isZero();
    List<List<String>> result = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.equals("@@")) {
        result.add(current);
        current = new ArrayList<>();
      } else if (!line.isEmpty()) {
        current.add(line);
      }
    }
    assertThat(result)
        .as("%s printed one block per TAB, and nothing else:\n%s", shell.get(0), out)
        .hasSize(expected);
    assertThat(current).as("%s printed nothing else", shell.get(0)).isEmpty();
    return result;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
