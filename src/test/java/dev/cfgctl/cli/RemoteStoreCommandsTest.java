package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.app.Stores;
import dev.cfgctl.client.HttpConfigStore;
import dev.cfgctl.client.ScriptedServer;
import dev.cfgctl.server.TestServer;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.Tunables;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stored-config commands against a real server on a random port (CFGCTL_SERVER, CFGCTL_TOKEN):
 * the same command lines as on the embedded store, plus what only a server can do wrong.
 */
class RemoteStoreCommandsTest extends StoredConfigCommandsContract {
  TestServer server;
  final Map<Principal, String> tokens = new ConcurrentHashMap<>();

  @Override
  protected Map<String, String> environment(Path tmp) {
    server =
        new TestServer(
            Stores.sqlite(tmp.resolve("server/cfgctl.db"), Tunables.DEFAULT, Clock.systemUTC()),
            Clock.systemUTC());
    String admin = server.token(new Principal("ops", "Ops", Principal.ALL_TENANTS, Role.ADMIN));
    return Map.of(
        "CFGCTL_SERVER",
        server.base,
        "CFGCTL_TOKEN",
        admin,
        "XDG_DATA_HOME",
        tmp.resolve("data").toString(),
        "XDG_CONFIG_HOME",
        tmp.resolve("config").toString());
  }

  @Override
  protected ConfigStore direct(Path tmp) {
    return new HttpConfigStore(server.base, who -> tokens.computeIfAbsent(who, server::token));
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
    assertThat(tmp.resolve("data/cfgctl")).as("no embedded store was opened").doesNotExist();
  }

  @Test
  void aServerThatIsDownIsExitSevenWithHowToStartOne() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CliRunner down =
        new CliRunner(tmp)
            .env(
                Map.of(
                    "CFGCTL_SERVER",
                    "http://127.0.0.1:" + port,
                    "CFGCTL_TOKEN",
                    "cfgctl_x",
                    "XDG_CONFIG_HOME",
                    tmp.resolve("config").toString()));
    CliRunner.Result r = down.fails(ExitCode.UNAVAILABLE, "get", "acme/landing");
    String[] lines = r.err().split("\n");
    assertThat(lines[0])
        .startsWith("cfgctl: cannot reach http://127.0.0.1:" + port + " for GET ")
        .endsWith(": connection refused (3 attempts)");
    // the hint adds what the message does not say: where to start a server, where the address came
    // from
    assertThat(lines[1])
        .isEqualTo(
            "hint: nothing listens on port "
                + port
                + " of 127.0.0.1: start a server"
                + " there (cfgctl serve --listen 127.0.0.1:"
                + port
                + "), or check --server (or CFGCTL_SERVER, or"
                + " the current context: cfgctl context list)");
  }

  @Test
  void aServerThatAnswersNonsenseIsAClearErrorNotAStackTrace() throws Exception {
    byte[][] answers = {
      ScriptedServer.http(200, "text/html", "<html><body>Welcome to nginx!</body></html>"),
      ScriptedServer.http(502, "text/html", "<html>Bad Gateway</html>"),
      ScriptedServer.http(200, "application/json", "{\"half\": "),
      ScriptedServer.concat(
          ScriptedServer.head(200, "application/json", 1000, "Config-Version", "1"),
          "{\"cut\":".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
    };
    for (byte[] answer : answers) {
      try (ScriptedServer bad = new ScriptedServer(n -> answer)) {
        CliRunner c =
            new CliRunner(tmp)
                .env(
                    Map.of(
                        "CFGCTL_SERVER",
                        bad.base(),
                        "CFGCTL_TOKEN",
                        "cfgctl_x",
                        "XDG_CONFIG_HOME",
                        tmp.resolve("config").toString()));
        CliRunner.Result r = c.fails(ExitCode.UNAVAILABLE, "get", "acme/landing");
        assertThat(r.err()).contains(bad.base());
      }
    }
  }

  @Test
  void wrongTokensAndRolesAreExitFive() {
    CliRunner bad =
        new CliRunner(tmp)
            .env(
                Map.of(
                    "CFGCTL_SERVER",
                    server.base,
                    "CFGCTL_TOKEN",
                    "cfgctl_forged",
                    "XDG_CONFIG_HOME",
                    tmp.resolve("config").toString()));
    assertThat(bad.fails(ExitCode.DENIED, "get", "acme/landing").err())
        .contains("hint: check the token");
    String viewer = server.token(new Principal("vic", "Vic", "acme", Role.VIEWER));
    CliRunner v =
        new CliRunner(tmp)
            .env(
                Map.of(
                    "CFGCTL_SERVER",
                    server.base,
                    "CFGCTL_TOKEN",
                    viewer,
                    "XDG_CONFIG_HOME",
                    tmp.resolve("config").toString()));
    v.fails(ExitCode.DENIED, "save", "acme/landing", doc, "--create");
    v.fails(ExitCode.NOT_FOUND, "get", "other/landing"); // another tenant: not found, not forbidden
  }
}
