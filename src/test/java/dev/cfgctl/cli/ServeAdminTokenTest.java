package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether serve writes DATA-DIR/admin.token, and what it says when it does not. Each run is ended
 * by a port that is taken, after the store is open and the token decided.
 */
class ServeAdminTokenTest {
  @TempDir Path tmp;
  CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(tmp).env(Map.of("HOME", tmp.resolve("home").toString()));
  }

  private CliRunner.Result serve(String dataDir) throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CliRunner.Result r =
          cli.run("serve", "--listen", "127.0.0.1:" + taken.getLocalPort(), "--data-dir", dataDir);
      assertThat(r.exit()).as("the taken port\n%s", r.describe()).isEqualTo(ExitCode.USAGE);
      return r;
    }
  }

  @Test
  void aStoreWithoutTokensGetsAnAdminTokenAndNoNote() throws IOException {
    CliRunner.Result r = serve(cli.path("data"));
    assertThat(tmp.resolve("data/admin.token")).isRegularFile();
    assertThat(r.err()).as(r.describe()).doesNotContain("no admin token");
    assertThat(serve(cli.path("data")).err())
        .as("admin.token is there already")
        .doesNotContain("no admin token");
  }

  /** The README's order: a token made on the embedded store, then serve on it: no admin.token. */
  @Test
  void aStoreThatHasTokensAlreadySaysWhyThereIsNoAdminTokenAndHowToMakeOne() throws IOException {
    String data = cli.path("data");
    assertThat(
            cli.run(
                    "token",
                    "create",
                    "--user",
                    "sarah",
                    "--role",
                    "editor",
                    "--tenant",
                    "acme",
                    "--store",
                    data,
                    "--secret-file",
                    cli.path("sarah.token"))
                .exit())
        .isZero();
    CliRunner.Result r = serve(data);
    assertThat(tmp.resolve("data/admin.token")).doesNotExist();
    assertThat(r.err())
        .as(r.describe())
        .startsWith(
            "cfgctl serve: no admin token written to"
                + " $TMP/data/admin.token: the store already has tokens; to make one: cfgctl token create --user"
                + " admin --role admin --tenant '*' --store $TMP/data --secret-file $TMP/data/admin.token\n");
    // and the command it gives works
    assertThat(
            cli.run(
                    "token",
                    "create",
                    "--user",
                    "admin",
                    "--role",
                    "admin",
                    "--tenant",
                    "*",
                    "--store",
                    data,
                    "--secret-file",
                    data + "/admin.token")
                .exit())
        .isZero();
    assertThat(tmp.resolve("data/admin.token")).isRegularFile();
  }
}
