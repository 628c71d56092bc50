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

/** {@code cfgctl context}: profiles in an owner-only file, chosen by name, overridden by variables. */
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
    assertThat(cli.run("context", "set", "shop", "--store", cli.path("shop-store"), "--tenant", "acme").exit())
        .isZero();
    Path file = tmp.resolve("config/cfgctl/config.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    // the first context is current: a bare name is acme's, in the context's store
    assertThat(cli.run("save", "landing", doc, "--create").out()).isEqualTo("acme/landing: created, now at version 1\n");
    assertThat(Files.exists(tmp.resolve("shop-store/cfgctl.db"))).isTrue();
    assertThat(Files.exists(tmp.resolve("data/cfgctl/cfgctl.db"))).isFalse();

    cli.run("context", "set", "other", "--store", cli.path("other-store"), "--tenant", "beta");
    assertThat(cli.run("get", "landing").exit()).isZero(); // still shop
    CliRunner.Result list = cli.run("context", "list");
    assertThat(list.out()).containsPattern("\\*\\s+shop").contains("other").contains("beta");
    assertThat(Json.parse(cli.run("context", "list", "-o", "json").out()).get("current").asText()).isEqualTo("shop");

    assertThat(cli.run("context", "use", "other").exit()).isZero();
    cli.fails(ExitCode.NOT_FOUND, "get", "landing"); // beta/landing in other-store
    assertThat(cli.run("get", "landing", "--context", "shop").exit()).isZero();
    env.put("CFGCTL_CONTEXT", "shop");
    assertThat(cli.run("get", "landing").exit()).isZero();
    env.put("CFGCTL_TENANT", "nobody");
    cli.fails(ExitCode.NOT_FOUND, "get", "landing"); // nobody/landing: the variable beats the context

    assertThat(cli.fails(ExitCode.USAGE, "context", "use", "nope").err()).contains("no context named \"nope\"")
        .contains("known contexts: other, shop");
    assertThat(cli.fails(ExitCode.USAGE, "get", "x", "--context", "nope").err()).contains("no context named");
  }

  @Test
  void aBrokenConfigFileOrTokenFileIsAClearError() throws Exception {
    Path file = tmp.resolve("config/cfgctl/config.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{not json");
    assertThat(cli.fails(ExitCode.USAGE, "get", "acme/x").err()).contains("is not valid JSON");
    Files.delete(file);

    cli.fails(ExitCode.USAGE, "context", "set", "bad", "--server", "ftp://x");
    cli.run("context", "set", "remote", "--server", "http://127.0.0.1:9", "--token-file", cli.path("missing.token"));
    assertThat(cli.fails(ExitCode.NOT_FOUND, "get", "acme/x").err()).contains("token file").contains("does not exist");
    cli.write("empty.token", "");
    cli.run("context", "set", "remote", "--token-file", cli.path("empty.token"));
    assertThat(cli.fails(ExitCode.USAGE, "get", "acme/x").err()).contains("does not hold one token");
    env.put("CFGCTL_SERVER", "not-a-url");
    cli.fails(ExitCode.USAGE, "get", "acme/x");
  }
}
