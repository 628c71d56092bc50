package dev.cfgctl.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails when the committed completion script or man pages differ from what the command model
 * generates. {@code scripts/gen-docs} (this test with -Dcfgctl.updateDocs=true) rewrites them.
 */
class GeneratedDocsTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static Map<String, String> generated;

  /** What the command model generates, made once: Asciidoctor takes seconds per run. */
  private static synchronized Map<String, String> generated() {
    if (generated == null) generated = GeneratedDocs.generate();
    return generated;
  }

  @Test
  void committedCompletionsAndManPagesMatchTheCommandModel() throws IOException {
    Map<String, String> generated = generated();
    if (Boolean.getBoolean("cfgctl.updateDocs")) write(generated);

    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, String> e : generated.entrySet()) {
      Path p = ROOT.resolve(e.getKey());
      if (!Files.exists(p) || !Files.readString(p, StandardCharsets.UTF_8).equals(e.getValue())) {
        stale.add(e.getKey());
      }
    }
    for (Path p : committed()) {
      if (!generated.containsKey(ROOT.relativize(p).toString()))
        stale.add(ROOT.relativize(p) + " (no such command)");
    }
    assertThat(stale)
        .as("generated files out of date; run scripts/gen-docs and commit the result")
        .isEmpty();
  }

  @Test
  void theReadmesExitCodeTableIsTheCommandLinesOwn() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    String section = readme.substring(readme.indexOf("\n## Exit codes\n"));
    Map<String, String> rows = new java.util.LinkedHashMap<>();
    Matcher row = Pattern.compile("(?m)^\\| (\\d) \\| (.*) \\|$").matcher(section);
    while (row.find() && rows.size() < dev.cfgctl.cli.ExitCode.TABLE.size()) {
      rows.put(" " + row.group(1), row.group(2).replace("`", ""));
    }
    assertThat(rows)
        .as("the README's exit code table, as cli.ExitCode.TABLE has it (--help, man pages)")
        .containsExactlyEntriesOf(dev.cfgctl.cli.ExitCode.TABLE);
  }

  @Test
  void everyCommandHasAManPageWithItsExitCodes() {
    Map<String, String> generated = generated();
    assertThat(generated)
        .containsKeys(
            "man/cfgctl.1",
            "man/cfgctl-diff.1",
            "man/cfgctl-patch.1",
            "man/cfgctl-validate.1",
            "completions/cfgctl.bash",
            "completions/_cfgctl");
    assertThat(generated.get("man/cfgctl-patch.1"))
        .startsWith("'\\\" t")
        .contains(".SH \"EXIT STATUS\"")
        .contains("version conflict");
  }

  @Test
  void manPagesHaveTheSectionsManExpectsInItsOrder() {
    Map<String, String> generated = generated();
    List<String> expected =
        List.of(
            "NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "ENVIRONMENT", "FILES", "SEE ALSO");
    for (Map.Entry<String, String> page : generated.entrySet()) {
      if (!page.getKey().startsWith("man/")) continue;
      List<String> headings = new ArrayList<>();
      Matcher m = Pattern.compile("(?m)^\\.SH \"(.*)\"$").matcher(page.getValue());
      while (m.find()) headings.add(m.group(1));
      assertThat(headings)
          .as("the sections of %s", page.getKey())
          .containsSubsequence(expected)
          .allSatisfy(h -> assertThat(h).as("a heading in %s", page.getKey()).doesNotEndWith(":"));
      assertThat(headings.get(headings.size() - 1))
          .as("the last section of %s", page.getKey())
          .isEqualTo("SEE ALSO");
      String seeAlso = page.getValue().substring(page.getValue().indexOf(".SH \"SEE ALSO\""));
      Matcher ref = Pattern.compile("\\\\fB([a-z\\\\-]+)\\\\fP\\(1\\)").matcher(seeAlso);
      int refs = 0;
      for (; ref.find(); refs++) {
        String name = ref.group(1).replace("\\-", "-");
        assertThat(generated)
            .as("%s refers to %s(1)", page.getKey(), name)
            .containsKey("man/" + name + ".1");
      }
      assertThat(refs).as("pages %s refers to", page.getKey()).isPositive();
    }
  }

  @Test
  void groffWarnsAboutNoManPage() throws Exception {
    assumeTool("groff");
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<String, String> page : generated().entrySet()) {
      if (page.getKey().startsWith("man/"))
        warnings.addAll(groffWarnings(page.getKey(), page.getValue()));
    }
    assertThat(warnings).as("groff -ww warnings").isEmpty();
    // the check can fail: a page with a macro man does not define
    assertThat(groffWarnings("bad.1", ".TH BAD 1\n.SH NAME\nbad \\- bad\n.Bogus\n")).isNotEmpty();
  }

  @Test
  void theEnvironmentSectionNamesEveryVariableCfgctlReads() throws IOException {
    Set<String> read = new TreeSet<>();
    // what env lookups name, and any literal that can only be a variable's name (as BaseDirs passes
    // them)
    Matcher java =
        Pattern.compile(
                "(?:env\\(\\)\\.get|env\\(\\)\\.getOrDefault|env\\.get|getenv)\\(\"([A-Z_]+)\""
                    + "|\"((?:CFGCTL|XDG)_[A-Z_]+)\"")
            .matcher("");
    try (Stream<Path> files = Files.walk(ROOT.resolve("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        java.reset(Files.readString(f));
        while (java.find()) read.add(java.group(1) != null ? java.group(1) : java.group(2));
      }
    }
    Matcher launcher =
        Pattern.compile("\\$\\{?(CFGCTL_[A-Z_]+|XDG_[A-Z_]+|JAVA_HOME|HOME|PATH)\\b")
            .matcher(Files.readString(ROOT.resolve("scripts/cfgctl")));
    while (launcher.find()) read.add(launcher.group(1));
    assertThat(read)
        .as("variables read")
        .contains("CFGCTL_SERVER", "XDG_CONFIG_HOME", "CFGCTL_JAVA_HOME");
    String cfgctl1 = generated().get("man/cfgctl.1");
    String environment =
        cfgctl1.substring(cfgctl1.indexOf(".SH \"ENVIRONMENT\""), cfgctl1.indexOf(".SH \"FILES\""));
    assertThat(read)
        .as("variables missing from ENVIRONMENT in man/cfgctl.1")
        .allSatisfy(v -> assertThat(environment).contains(v));
  }

  /** What {@code groff -ww} (all warnings, man(7) style checks) says about a page. */
  private static List<String> groffWarnings(String name, String roff) throws Exception {
    Path page = Files.createTempFile("cfgctl-man", ".1");
    try {
      Files.writeString(page, roff);
      Process p =
          new ProcessBuilder("groff", "-k", "-ww", "-man", "-z", "-rCHECKSTYLE=3", page.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      List<String> warnings = new ArrayList<>();
      for (String line : out.split("\n")) if (!line.isBlank()) warnings.add(name + ": " + line);
      return warnings;
    } finally {
      Files.delete(page);
    }
  }

  /**
   * Skips (saying so) when {@code tool} is missing, unless CFGCTL_REQUIRE_TOOLS=1 (CI) makes it a
   * failure.
   */
  static void assumeTool(String tool) throws Exception {
    if (new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0) return;
    String message =
        tool
            + " is not installed, so "
            + StackWalker.getInstance()
                .walk(f -> f.skip(1).findFirst().orElseThrow().getMethodName())
            + " does not run";
    if ("1".equals(System.getenv("CFGCTL_REQUIRE_TOOLS")))
      fail(message + " (CFGCTL_REQUIRE_TOOLS=1)");
    System.out.println(message + "; CFGCTL_REQUIRE_TOOLS=1 makes this a failure");
    assumeTrue(false, message);
  }

  private static void write(Map<String, String> generated) throws IOException {
    for (Path p : committed()) Files.delete(p);
    for (Map.Entry<String, String> e : generated.entrySet()) {
      Path p = ROOT.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
    }
  }

  private static List<Path> committed() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String dir : List.of("man", "completions")) {
      Path d = ROOT.resolve(dir);
      if (!Files.isDirectory(d)) continue;
      try (Stream<Path> s = Files.list(d)) {
        s.filter(Files::isRegularFile).forEach(files::add);
      }
    }
    return files;
  }
}
