package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a terminal JSON is pretty and the text view is colored — unless NO_COLOR or TERM=dumb says
 * otherwise; when piped (every other test) JSON is compact and nothing is colored.
 */
class TerminalOutputTest {
  private static final Map<String, String> TERMINAL = Map.of("TERM", "xterm-256color");

  @TempDir Path tmp;
  CliRunner cli;
  String v1;
  String v2;

  @BeforeEach
  void files() {
    cli = new CliRunner(tmp);
    v1 = cli.copy("/cli/site-v1.json");
    v2 = cli.copy("/cli/site-v2.json");
  }

  @Test
  void diffOnATerminalIsPrettyJson() {
    CliRunner.Result onTerminal = cli.onTerminal(TERMINAL).run("diff", v1, v2);
    assertThat(onTerminal.exit()).isEqualTo(1);
    assertThat(onTerminal.out())
        .isEqualTo(new CliRunner(tmp).run("diff", "--pretty", v1, v2).out());
    assertThat(onTerminal.out()).doesNotContain("\u001b");
  }

  @Test
  void compactOnATerminalPrintsOneLine() {
    CliRunner.Result r = cli.onTerminal(TERMINAL).run("diff", "--compact", v1, v2);
    assertThat(r.out()).isEqualTo(new CliRunner(tmp).run("diff", v1, v2).out());
  }

  @Test
  void textViewOnATerminalIsColored() {
    Golden.check(
        "terminal-diff-text-colored",
        cli.onTerminal(TERMINAL).run("diff", "-o", "text", v1, v2),
        1);
  }

  @Test
  void textViewOnATerminalWithoutTermIsColored() {
    CliRunner.Result r = cli.onTerminal(Map.of()).run("diff", "-o", "text", v1, v2);
    assertThat(r.out()).contains("\u001b[33m~ /title: \"Acme\" -> \"Acme Shoes\"\u001b[0m\n");
  }

  @Test
  void noColorTurnsColorsOff() {
    CliRunner.Result r =
        cli.onTerminal(Map.of("TERM", "xterm-256color", "NO_COLOR", "1"))
            .run("diff", "-o", "text", v1, v2);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .doesNotContain("\u001b")
        .isEqualTo(new CliRunner(tmp).run("diff", "-o", "text", v1, v2).out());
  }

  @Test
  void dumbTerminalGetsNoColors() {
    CliRunner.Result r = cli.onTerminal(Map.of("TERM", "dumb")).run("diff", "-o", "text", v1, v2);
    assertThat(r.out()).doesNotContain("\u001b");
  }

  @Test
  void pipedTextViewHasNoColors() {
    assertThat(cli.run("diff", "-o", "text", v1, v2).out()).doesNotContain("\u001b");
  }

  @Test
  void patchResultOnATerminalIsPretty() {
    String patch =
        cli.write("p.json", "[{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"Acme Shoes\"}]");
    CliRunner.Result r = cli.onTerminal(TERMINAL).run("patch", v1, patch);
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .startsWith("{\n  \"meta\": {\n    \"updatedAt\": ")
        .contains("\n  \"title\": \"Acme Shoes\",\n");
  }

  @Test
  void validateJsonReportOnATerminalIsPretty() {
    String schema = cli.write("schema.json", "{\"type\":\"object\",\"required\":[\"owner\"]}");
    Golden.check(
        "terminal-validate-json",
        cli.onTerminal(TERMINAL).run("validate", "-o", "json", "--schema", schema, v1),
        1);
  }

  @Test
  void errorsOnATerminalAreStillOneLine() {
    CliRunner.Result r = cli.onTerminal(TERMINAL).fails(6, "diff", v1, cli.path("nope.json"));
    assertThat(r.err()).doesNotContain("\u001b");
  }
}
