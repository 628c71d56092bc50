package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -o jsonl}: one compact JSON value per line, a list's items each on its own line, a single
 * result on one line; stderr stays empty.
 */
class JsonLinesOutputTest {
  @TempDir Path tmp;
  CliRunner cli;
  Map<String, String> env;

  @BeforeEach
  void setUp() {
    env =
        Map.of(
            "XDG_DATA_HOME",
            tmp.resolve("data").toString(),
            "XDG_CONFIG_HOME",
            tmp.resolve("config").toString());
    cli = new CliRunner(tmp).env(env);
    String doc = cli.write("doc.json", "{\"title\":\"Spring\",\"n\":1}");
    String sets9 = cli.write("n9.json", "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":9}]");
    assertThat(cli.run("save", "landing", doc, "--create").exit()).isZero();
    assertThat(cli.run("patch", "-c", "landing", sets9).exit()).isZero();
    assertThat(cli.run("save", "pricing", doc, "--create").exit()).isZero();
  }

  @Test
  void listPrintsEachConfigOnItsOwnLine() {
    List<JsonNode> lines = lines("list", "-o", "jsonl");
    assertThat(lines).extracting(c -> c.get("name").asText()).containsExactly("landing", "pricing");
  }

  @Test
  void historyPrintsEachRevisionOnItsOwnLine() {
    List<JsonNode> lines = lines("history", "landing", "-o", "jsonl");
    assertThat(lines).extracting(r -> r.get("version").asLong()).containsExactly(2L, 1L);
  }

  @Test
  void lockListPrintsEachLockOnItsOwnLine() {
    assertThat(cli.run("lock", "acquire", "landing").exit()).isZero();
    assertThat(cli.run("lock", "acquire", "pricing").exit()).isZero();
    List<JsonNode> lines = lines("lock", "list", "-o", "jsonl");
    assertThat(lines)
        .extracting(l -> l.get("config").asText())
        .containsExactlyInAnyOrder("landing", "pricing");
  }

  @Test
  void lockAcquireIsOneLine() {
    List<JsonNode> lines = lines("lock", "acquire", "landing", "-o", "jsonl");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).get("id").asText()).isNotEmpty();
  }

  @Test
  void migratePrintsEachConfigOnItsOwnLine() {
    String sets5 = cli.write("n5.json", "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":5}]");
    List<JsonNode> lines = lines("migrate", sets5, "--match", "*", "-o", "jsonl");
    assertThat(lines)
        .extracting(c -> c.get("name").asText() + " " + c.get("outcome").asText())
        .containsExactlyInAnyOrder("landing applied", "pricing applied");
  }

  @Test
  void aSingleResultIsOneCompactLineEvenWhenPrettyIsAskedForOnATerminal() {
    CliRunner.Result r = cli.onTerminal(env).run("get", "landing", "-o", "jsonl", "--pretty");
    assertThat(r.exit()).as(r.describe()).isZero();
    assertThat(r.out()).as(r.describe()).doesNotContain("\n ").endsWith("}\n");
    assertThat(r.out().split("\n")).hasSize(1);
    assertThat(Json.parse(r.out()).get("content").get("n").asInt()).isEqualTo(9);
  }

  @Test
  void jsonStillPrintsTheWholeListAsOneValue() {
    CliRunner.Result r = cli.run("list", "-o", "json");
    assertThat(Json.parse(r.out()).isArray()).as(r.describe()).isTrue();
  }

  @Test
  void anErrorIsAProblemObjectAsWithJson() {
    CliRunner.Result r = cli.run("get", "missing", "-o", "jsonl");
    assertThat(r.exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().count()).as(r.describe()).isEqualTo(1);
    assertThat(Json.parse(r.err()).get("type").asText()).as(r.describe()).contains("not-found");
  }

  private List<JsonNode> lines(String... args) {
    CliRunner.Result r = cli.run(args);
    assertThat(r.exit()).as(r.describe()).isZero();
    assertThat(r.err()).as(r.describe()).isEmpty();
    assertThat(r.out()).as(r.describe()).endsWith("\n");
    return r.out().lines().map(Json::parse).toList();
  }
}
