package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.patch.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code cfgctl context}: profiles in an owner-only file, chosen by name, overridden by variables.
 */
class ContextCommandTest {
  @TempDir Path tmp;
  CliRunner cli;
  Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() {
    env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
    env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
    cli = new CliRunner(tmp).env(env);
  }

  @Test
  void aContextChoosesStoreAndTenant() throws Exception {
    String doc = cli.write("d.json", "{\"a\":1}");
    assertThat(
            cli.run("context", "set", "shop", "--store", cli.path("shop-store"), "--tenant", "acme")
                .exit())
        .isZero();
    Path file = tmp.resolve("config/cfgctl/config.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    // the first context is current: a bare name is acme's, in the context's store
    assertThat(cli.run("save", "landing", doc, "--create").out())
        .isEqualTo("acme/landing: created, now at version 1\n");
    assertThat(Files.exists(tmp.resolve("shop-store/cfgctl.db"))).isTrue();
    assertThat(Files.exists(tmp.resolve("data/cfgctl/cfgctl.db"))).isFalse();

    cli.run("context", "set", "other", "--store", cli.path("other-store"), "--tenant", "beta");
    assertThat(cli.run("get", "landing").exit()).isZero(); // still shop
    CliRunner.Result list = cli.run("context", "list");
    assertThat(list.out()).containsPattern("\\*\\s+shop").contains("other").contains("beta");
    assertThat(Json.parse(cli.run("context", "list", "-o", "json").out()).get("current").asText())
        .isEqualTo("shop");

    assertThat(cli.run("context", "use", "other").exit()).isZero();
    cli.fails(ExitCode.NOT_FOUND, "get", "landing"); // beta/landing in other-store
    assertThat(cli.run("get", "landing", "--context", "shop").exit()).isZero();
    env.put("CFGCTL_CONTEXT", "shop");
    assertThat(cli.run("get", "landing").exit()).isZero();
    env.put("CFGCTL_TENANT", "nobody");
    cli.fails(
        ExitCode.NOT_FOUND, "get", "landing"); // nobody/landing: the variable beats the context

    assertThat(cli.fails(ExitCode.USAGE, "context", "use", "nope").err())
        .contains("no context named \"nope\"")
        .contains("known contexts: other, shop");
    assertThat(cli.fails(ExitCode.USAGE, "get", "x", "--context", "nope").err())
        .contains("no context named");
  }

  @Test
  void aBrokenConfigFileOrTokenFileIsAClearError() throws Exception {
    Path file = tmp.resolve("config/cfgctl/config.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{not json");
    assertThat(cli.fails(ExitCode.USAGE, "get", "acme/x").err()).contains("is not valid JSON");
    Files.delete(file);

    cli.fails(ExitCode.USAGE, "context", "set", "bad", "--server", "ftp://x");
    cli.run(
        "context",
        "set",
        "remote",
        "--server",
        "http://127.0.0.1:9",
        "--token-file",
        cli.path("missing.token"));
    assertThat(cli.fails(ExitCode.NOT_FOUND, "get", "acme/x").err())
        .contains("token file")
        .contains("does not exist");
    cli.write("empty.token", "");
    cli.run("context", "set", "remote", "--token-file", cli.path("empty.token"));
    assertThat(cli.fails(ExitCode.USAGE, "get", "acme/x").err())
        .contains("does not hold one token");
    env.put("CFGCTL_SERVER", "not-a-url");
    cli.fails(ExitCode.USAGE, "get", "acme/x");
  }

  @Test
  void homeHoldsTheContextsFileAndTheDefaultStoreWhenNoXdgVariableIsSet() {
    Path home = tmp.resolve("home");
    cli.env(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", "relative/is/ignored"));
    String doc = cli.write("d.json", "{\"a\":1}");
    assertThat(cli.run("context", "set", "local", "--tenant", "acme").exit()).isZero();
    assertThat(home.resolve(".config/cfgctl/config.json")).isRegularFile();
    assertThat(cli.run("save", "landing", doc, "--create").out())
        .isEqualTo("acme/landing: created, now at version 1\n");
    assertThat(home.resolve(".local/share/cfgctl/cfgctl.db")).isRegularFile();
    assertThat(tmp.resolve("relative")).doesNotExist();
  }

  @Test
  void storeOrAnEmptyServerVariableLeadsBackToTheEmbeddedStoreWhateverTheContextSays() {
    String doc = cli.write("d.json", "{\"a\":1}");
    cli.write("t.token", "cfgctl_x\n");
    // a context on a server: nothing below may reach it (port 9, discard, is closed here)
    cli.run(
        "context",
        "set",
        "remote",
        "--server",
        "http://127.0.0.1:9",
        "--token-file",
        cli.path("t.token"),
        "--tenant",
        "acme");
    assertThat(cli.run("save", "landing", doc, "--create", "--store", cli.path("mine")).out())
        .as("--store beats the context's server; the context's tenant still holds")
        .isEqualTo("acme/landing: created, now at version 1\n");
    env.put("CFGCTL_SERVER", "http://127.0.0.1:9");
    assertThat(cli.run("get", "landing", "--store", cli.path("mine")).exit())
        .as("--store beats CFGCTL_SERVER")
        .isZero();
    env.put("CFGCTL_SERVER", "");
    assertThat(cli.run("save", "landing", doc, "--create").exit())
        .as("an empty CFGCTL_SERVER: no server")
        .isZero();
    assertThat(tmp.resolve("data/cfgctl/cfgctl.db")).isRegularFile();
    assertThat(
            cli.fails(
                    ExitCode.USAGE,
                    "get",
                    "landing",
                    "--server",
                    "http://127.0.0.1:9",
                    "--store",
                    cli.path("mine"))
                .err())
        .isEqualTo("cfgctl: --server and --store exclude each other\n");
  }

  @Test
  void contextUseNoneMakesNoContextCurrent() {
    String doc = cli.write("d.json", "{\"a\":1}");
    cli.run("context", "set", "shop", "--store", cli.path("shop-store"), "--tenant", "acme");
    assertThat(cli.run("context", "use", "--none").err())
        .isEqualTo(
            "no current context: commands use the"
                + " embedded store unless --server, CFGCTL_SERVER, --context or CFGCTL_CONTEXT say otherwise\n");
    assertThat(Json.parse(cli.run("context", "list", "-o", "json").out()).get("current").isNull())
        .isTrue();
    assertThat(cli.run("save", "default/landing", doc, "--create").exit()).isZero();
    assertThat(tmp.resolve("data/cfgctl/cfgctl.db"))
        .as("the default store, not shop's")
        .isRegularFile();
    assertThat(tmp.resolve("shop-store")).doesNotExist();
    // a context made later does not become current by itself: only the first one does
    cli.run("context", "set", "other", "--store", cli.path("other-store"));
    assertThat(Json.parse(cli.run("context", "list", "-o", "json").out()).get("current").isNull())
        .isTrue();

    assertThat(cli.fails(ExitCode.USAGE, "context", "use", "").err())
        .isEqualTo(
            "cfgctl: a context name"
                + " cannot be empty\nhint: to use none (the embedded store): cfgctl context use --none\n");
    cli.fails(ExitCode.USAGE, "context", "use");
    cli.fails(ExitCode.USAGE, "context", "use", "shop", "--none");
  }

  @Test
  void theGlobalContextOptionChoosesTheContextForOneCommand() {
    String doc = cli.write("d.json", "{\"a\":1}");
    cli.run("context", "set", "shop", "--store", cli.path("shop-store"), "--tenant", "acme");
    cli.run("context", "set", "other", "--store", cli.path("other-store"), "--tenant", "beta");
    assertThat(cli.run("--context", "other", "save", "landing", doc, "--create").out())
        .isEqualTo("beta/landing: created, now at version 1\n");
    assertThat(tmp.resolve("other-store/cfgctl.db")).isRegularFile();
    assertThat(tmp.resolve("shop-store")).doesNotExist();
    env.put("CFGCTL_CONTEXT", "shop");
    assertThat(cli.run("--context", "other", "get", "landing").exit())
        .as("it beats CFGCTL_CONTEXT")
        .isZero();
    cli.fails(ExitCode.NOT_FOUND, "--context", "shop", "get", "landing");
    assertThat(cli.run("--context", "shop", "get", "landing", "--context", "other").exit())
        .as("a command's own --context beats it")
        .isZero();
    assertThat(cli.fails(ExitCode.USAGE, "--context", "nope", "get", "landing").err())
        .contains("no context named \"nope\"");
  }

  @Test
  void contextSetKeepsPathsAbsoluteAndNormalised() throws Exception {
    cli.run(
        "context",
        "set",
        "ci",
        "--server",
        "https://cfg.example.com",
        "--token-file",
        tmp.resolve("sub/../ci.token").toString(),
        "--ca-file",
        tmp + "/./ca.pem");
    cli.run("context", "set", "local", "--store", tmp.resolve("a/./b/../store").toString());
    var contexts = Json.parse(cli.run("context", "list", "-o", "json").out()).get("contexts");
    assertThat(contexts.get("ci").get("tokenFile").asText()).isEqualTo("$TMP/ci.token");
    assertThat(contexts.get("ci").get("caFile").asText()).isEqualTo("$TMP/ca.pem");
    assertThat(contexts.get("local").get("store").asText()).isEqualTo("$TMP/a/store");
  }

  /** As HelpAndVersionTest's rule: an example line wrapped by the help cannot be copied. */
  @ParameterizedTest(name = "cfgctl {0} --help")
  @ValueSource(
      strings = {
        "context",
        "context set",
        "context use",
        "context list",
        "token",
        "token create",
        "token list",
        "token revoke"
      })
  void contextAndTokenCommandsShowExamplesThatFitTheirLines(String command) {
    String help = cli.run((command + " --help").split(" ")).out();
    int examples = help.indexOf("\nExamples:\n");
    assertThat(examples).as("examples in:%n%s", help).isPositive();
    for (String line : help.substring(examples + "\nExamples:\n".length()).split("\n")) {
      assertThat(line)
          .as("a line of the examples of cfgctl %s:%n%s", command, help)
          .matches("|  # .*|  cfgctl .*");
    }
  }
}
