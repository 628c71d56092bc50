package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Json;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -o json} on every command that takes it, in every outcome cheap to bring about: stdout is
 * one JSON value or nothing, and stderr is nothing or one problem object; never a line for people.
 */
class JsonOutputTest {
  @TempDir Path tmp;
  CliRunner cli;
  String doc;
  String sets9;
  String fails;
  String schema;
  String garbage;

  @BeforeEach
  void setUp() {
    cli =
        new CliRunner(tmp)
            .env(
                Map.of(
                    "XDG_DATA_HOME",
                    tmp.resolve("data").toString(),
                    "XDG_CONFIG_HOME",
                    tmp.resolve("config").toString()));
    doc = cli.write("doc.json", "{\"title\":\"Spring\",\"n\":1}");
    sets9 = cli.write("n9.json", "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":9}]");
    fails = cli.write("fails.json", "[{\"op\":\"test\",\"path\":\"/title\",\"value\":\"Winter\"}]");
    schema =
        cli.write("schema.json", "{\"type\":\"object\",\"properties\":{\"n\":{\"maximum\":5}}}");
    garbage = cli.write("garbage.json", "{\"title\":");
  }

  @Test
  void documentCommands() {
    String other = cli.write("other.json", "{\"title\":\"Summer\",\"n\":1}");
    json(0, "diff", doc, doc, "-o", "json");
    json(1, "diff", doc, other, "-o", "json");
    json(6, "diff", doc, cli.path("missing.json"), "-o", "json");
    json(2, "diff", doc, garbage, "-o", "json");

    json(0, "patch", doc, sets9, "-o", "json");
    json(0, "patch", doc, sets9, "--dry-run", "-o", "json");
    JsonNode noApply = json(1, "patch", doc, fails, "--dry-run", "-o", "json");
    assertThat(noApply.get("applies").asBoolean()).isFalse();
    JsonNode invalid = json(1, "patch", doc, sets9, "--dry-run", "--schema", schema, "-o", "json");
    assertThat(invalid.get("valid").asBoolean()).isFalse();
    assertThat(invalid.get("errors").get(0).get("pointer").asText()).isEqualTo("/n");
    assertThat(problem(1, "patch", doc, fails, "-o", "json").get("type").asText())
        .isEqualTo("/problems/patch-failed");
    assertThat(
            problem(1, "patch", doc, sets9, "--schema", schema, "-o", "json").get("type").asText())
        .isEqualTo("/problems/schema-mismatch");
    json(2, "patch", doc, garbage, "-o", "json");
    json(2, "patch", doc, sets9, "--in-place", "-", "-o", "json");

    json(0, "validate", doc, "--schema", schema, "-o", "json");
    json(1, "validate", cli.write("bad.json", "{\"n\":7}"), "--schema", schema, "-o", "json");
    json(6, "validate", doc, "--schema", cli.path("nope.json"), "-o", "json");
  }

  @Test
  void storedConfigCommands() {
    json(0, "save", "acme/landing", doc, "--create", "-o", "json");
    json(0, "patch", "-c", "acme/landing", sets9, "-o", "json"); // version 2
    json(0, "get", "acme/landing", "-o", "json");
    json(0, "get", "acme/landing", "--at", "1", "-o", "json");
    json(6, "get", "acme/nope", "-o", "json");
    json(6, "get", "acme/landing", "--pointer", "/nope", "-o", "json");
    json(2, "get", "Acme/landing", "-o", "json");
    json(3, "save", "acme/landing", doc, "--expect-version", "1", "-o", "json");
    JsonNode unchanged =
        json(
            0,
            "save",
            "acme/landing",
            cli.write("v2.json", "{\"title\":\"Spring\",\"n\":9}"),
            "--expect-version",
            "2",
            "-o",
            "json");
    assertThat(unchanged.get("changed").asBoolean()).isFalse();

    json(0, "patch", "-c", "acme/landing", sets9, "--dry-run", "-o", "json");
    json(1, "patch", "-c", "acme/landing", fails, "--dry-run", "-o", "json");
    // the case: a schema failure of a dry run is the report, not a line for people
    JsonNode invalid =
        json(
            1, "patch", "-c", "acme/landing", sets9, "--dry-run", "--schema", schema, "-o", "json");
    assertThat(invalid.get("applies").asBoolean()).isTrue();
    assertThat(invalid.get("valid").asBoolean()).isFalse();
    json(1, "patch", "-c", "acme/landing", sets9, "--schema", schema, "-o", "json");
    json(3, "patch", "-c", "acme/landing", sets9, "--expect-version", "1", "-o", "json");
    json(
        3, "patch", "-c", "acme/landing", sets9, "--expect-version", "1", "--rebase", "-o", "json");
    json(2, "patch", "-c", "acme/landing", sets9, "--rebase", "-o", "json");
    json(3, "delete", "acme/landing", "--expect-version", "1", "-o", "json");

    json(0, "list", "--tenant", "acme", "-o", "json");
    json(0, "history", "acme/landing", "-o", "json");
    json(6, "history", "acme/nope", "-o", "json");
    json(0, "show", "acme/landing@2", "-o", "json");
    json(6, "show", "acme/landing@99", "-o", "json");
    json(0, "undo", "acme/landing", "-o", "json");
    json(0, "redo", "acme/landing", "-o", "json");
    json(1, "redo", "acme/landing", "-o", "json");
    json(0, "rollback", "acme/landing", "--to", "1", "-o", "json");
    json(6, "rollback", "acme/landing", "--to", "99", "-o", "json");

    json(0, "lock", "list", "--tenant", "acme", "-o", "json");
    json(0, "lock", "status", "acme/landing", "-o", "json");
    String id = json(0, "lock", "acquire", "acme/landing", "-o", "json").get("id").asText();
    json(4, "lock", "acquire", "acme/landing", "-o", "json");
    json(0, "lock", "extend", "acme/landing", "--lock-id", id, "-o", "json");
    json(4, "lock", "extend", "acme/landing", "--lock-id", "not-the-id", "-o", "json");
    json(2, "lock", "extend", "acme/landing", "-o", "json");
    json(2, "lock", "list", "--tenant", "acme", "--stale", "soon", "-o", "json");

    json(1, "migrate", sets9, "--match", "landing*", "--tenant", "acme", "-o", "json"); // locked
    json(0, "migrate", sets9, "--match", "none*", "--tenant", "acme", "-o", "json");
    json(2, "migrate", garbage, "--match", "*", "--tenant", "acme", "-o", "json");

    json(0, "store", "backup", cli.path("backup.db"), "-o", "json");
    json(2, "store", "backup", cli.path("backup.db"), "-o", "json");
    json(
        0,
        "store",
        "copy",
        "--from",
        tmp.resolve("data/cfgctl").toString(),
        "--to",
        cli.path("copy"),
        "-o",
        "json");
  }

  @Test
  void commandLinesThatDoNotParse() {
    JsonNode unknown = problem(2, "get", "acme/landing", "--pointr=/a", "-o", "json");
    assertThat(unknown.get("type").asText()).isEqualTo("/problems/usage");
    assertThat(unknown.get("detail").asText()).isEqualTo("unknown option: '--pointr=/a'");
    problem(2, "dif", "-o", "json");
    problem(2, "delete", "acme/landing", "-o", "json"); // --expect-version is required
  }

  @Test
  void aServerThatIsDownIsAProblemWithoutAnHttpStatus() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    cli.env(
        Map.of(
            "CFGCTL_SERVER",
            "http://127.0.0.1:" + port,
            "CFGCTL_TOKEN",
            "cfgctl_x",
            "XDG_CONFIG_HOME",
            tmp.resolve("config").toString()));
    JsonNode p = problem(7, "get", "acme/landing", "-o", "json");
    assertThat(p.get("type").asText()).isEqualTo("/problems/unreachable");
    assertThat(p.get("title").asText()).isEqualTo("Server unreachable");
    assertThat(p.has("status")).as("no HTTP status: no HTTP response came\n%s", p).isFalse();
    assertThat(p.get("server").asText()).isEqualTo("http://127.0.0.1:" + port);
    assertThat(p.get("cause").asText()).isEqualTo("refused");
    assertThat(p.get("detail").asText()).contains("connection refused");
  }

  /**
   * Runs a command line with -o json, checks what every such run must do, and returns the JSON
   * value on stdout, or the problem object on stderr when stdout is empty.
   */
  private JsonNode json(int exit, String... args) {
    CliRunner.Result r = cli.run(args);
    assertThat(r.exit()).as("exit code\n%s", r.describe()).isEqualTo(exit);
    if (!r.out().isEmpty()) {
      assertThat(r.out()).as("stdout is one line of JSON\n%s", r.describe()).matches("[^\n]+\n");
      JsonNode value = parse(r.out(), "stdout", r);
      assertThat(r.err())
          .as("stdout has the answer, so stderr is empty\n%s", r.describe())
          .isEmpty();
      return value;
    }
    assertThat(exit).as("a success prints its JSON value\n%s", r.describe()).isNotZero();
    return problemIn(r);
  }

  /** A failure whose only output is a problem object on stderr. */
  private JsonNode problem(int exit, String... args) {
    CliRunner.Result r = cli.run(args);
    assertThat(r.exit()).as("exit code\n%s", r.describe()).isEqualTo(exit);
    assertThat(r.out()).as("nothing on stdout\n%s", r.describe()).isEmpty();
    return problemIn(r);
  }

  private static JsonNode problemIn(CliRunner.Result r) {
    assertThat(r.err())
        .as("stderr is one line: the problem object\n%s", r.describe())
        .matches("[^\n]+\n");
    JsonNode p = parse(r.err(), "stderr", r);
    assertThat(p.isObject()).as("a problem object\n%s", r.describe()).isTrue();
    assertThat(p.path("type").asText()).as("its type\n%s", r.describe()).startsWith("/problems/");
    assertThat(p.path("title").asText()).as("its title\n%s", r.describe()).isNotEmpty();
    assertThat(p.path("detail").asText()).as("its detail\n%s", r.describe()).isNotEmpty();
    return p;
  }

  private static JsonNode parse(String text, String stream, CliRunner.Result r) {
    try {
      return Json.parse(text);
    } catch (RuntimeException e) {
      throw new AssertionError(
          stream + " is not one JSON value (" + e.getMessage() + ")\n" + r.describe(), e);
    }
  }
}
